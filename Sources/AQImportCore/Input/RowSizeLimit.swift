/// The most bytes one row may take while it is read: a CSV row, an NDJSON line, a JSON array's
/// element, a Parquet row's values. Every reader counts a row's bytes as they arrive and stops as soon
/// as the count would pass the limit, so that a row that never ends (`/dev/zero`, a gzip bomb) is
/// refused with bounded memory instead of at the end of the input.
public struct RowSizeLimit: Sendable, Hashable {
    /// 256 MiB: far above any real export's row, low enough that a reader holding one row stays
    /// under about 300 MB.
    public static let standard = RowSizeLimit(maxBytes: 256 << 20)

    public var maxBytes: Int

    /// A rejected row longer than this is given back cut down (CSV: only the cells a record needs;
    /// JSON: an empty object, so that the rejects file still names its file and line): a copy of a long
    /// row for the rejects file would double the memory the row takes.
    public static let maxKeptRejectedBytes = 8 << 20

    public init(maxBytes: Int) {
        precondition(maxBytes > 0)
        self.maxBytes = maxBytes
    }

    /// Whether a row of `bytes` bytes is within the limit.
    @inline(__always)
    public func allows(_ bytes: Int) -> Bool { bytes <= maxBytes }

    /// "256 MiB", or the exact bytes when the limit is not a whole number of MiB.
    public var description: String {
        maxBytes % (1 << 20) == 0 ? "\(maxBytes >> 20) MiB" : "\(maxBytes) bytes"
    }

    /// The error for the row that passed the limit: `row` names it ("a row", "a line"), `line` is
    /// where it starts, `expected` says what the file should have been.
    public func exceeded(file: String, line: Int?, row: String = "a row", expected: String) -> InputError {
        InputError(
            file: file, line: line,
            message: "\(row) larger than \(description), the row size limit (read up to there): expected \(expected)")
    }
}
