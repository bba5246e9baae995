/// What reading one input came to.
public struct FileReadStats: Sendable, Hashable {
    /// Data rows seen (the CSV header and blank lines are not rows).
    public var rows: Int
    public var records: Int
    public var rejected: Int
    /// Raw bytes read from the file, as stored (compressed for `.gz`).
    public var bytes: Int
    /// Bytes after decompression (equal to `bytes` for plain files).
    public var decodedBytes: Int
    /// Physical lines seen.
    public var lines: Int
    /// SHA-256 of the raw bytes, lowercase hex, when `ReadOptions.computeSHA256` is set.
    public var sha256Hex: String?

    public init(
        rows: Int = 0, records: Int = 0, rejected: Int = 0, bytes: Int = 0, decodedBytes: Int = 0, lines: Int = 0,
        sha256Hex: String? = nil
    ) {
        self.rows = rows
        self.records = records
        self.rejected = rejected
        self.bytes = bytes
        self.decodedBytes = decodedBytes
        self.lines = lines
        self.sha256Hex = sha256Hex
    }
}
