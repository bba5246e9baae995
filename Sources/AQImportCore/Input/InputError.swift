import Foundation

/// A problem with an input as a whole (it cannot be opened, is not CSV or NDJSON, has no usable
/// column, is structurally broken at some line). Rows that are merely bad are rejections, not errors.
public struct InputError: Error, Sendable, Hashable, LocalizedError {
    public var file: String
    /// The line the problem was found on, when there is one.
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var errorDescription: String? {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
