import Foundation

/// Why a TOML document could not be read, with the line (1-based) where reading stopped.
public struct TOMLError: Error, Sendable, Hashable, LocalizedError {
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var errorDescription: String? { "line \(line): \(message)" }
}
