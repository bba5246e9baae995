/// Where a reader's bytes come from, one chunk at a time: a file, stdin, a decompressor, or (in tests)
/// memory handed out in chunks of a chosen size.
protocol ByteSource: AnyObject {
    /// Fills the front of `buffer` and returns how many bytes were written; 0 means the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

extension ByteSource {
    /// Reads until `buffer` is full or the source ends.
    func readFully(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var filled = 0
        while filled < buffer.count {
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if n == 0 { break }
            filled += n
        }
        return filled
    }
}
