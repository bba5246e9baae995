extension ExportReader {
    /// Reads an export held in memory, handed to the parsers `chunkSize` bytes at a time; gzip is
    /// recognised by its magic bytes as for files. For fuzzers and tests outside this module.
    public init(
        bytes: [UInt8], name: String, fileIndex: Int = 0, format: InputFormat, options: ReadOptions,
        chunkSize: Int = 65_536
    ) throws {
        try self.init(
            source: MemoryByteSource(bytes, chunkSize: max(1, chunkSize)), name: name, fileIndex: fileIndex,
            format: format, options: options)
    }
}
