import Foundation

/// The journal was written for a different run: another queue, other options or changed inputs.
public struct JournalMismatch: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    /// One sentence per difference, e.g. `input spans.csv changed: size 10 -> 12 bytes`.
    public var differences: [String]

    public init(path: String, differences: [String]) {
        self.path = path
        self.differences = differences
    }

    public var description: String {
        "journal \(path) was written for a different run:\n"
            + differences.map { "  - \($0)\n" }.joined()
            + "Run the same command on the same inputs to resume, or add --restart to start over "
            + "(the old journal is kept)."
    }
}

extension JournalMismatch: LocalizedError {
    public var errorDescription: String? { description }
}
