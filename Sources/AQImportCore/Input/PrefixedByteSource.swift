/// Gives back bytes already read (to sniff a file's first bytes) before the rest of its source.
final class PrefixedByteSource: ByteSource {
    private var prefix: [UInt8]
    private var prefixPosition = 0
    private let base: ByteSource

    init(prefix: [UInt8], base: ByteSource) {
        self.prefix = prefix
        self.base = base
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if prefixPosition < prefix.count {
            let n = min(buffer.count, prefix.count - prefixPosition)
            prefix.withUnsafeBytes { source in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[prefixPosition..<(prefixPosition + n)]))
            }
            prefixPosition += n
            return n
        }
        return try base.read(into: buffer)
    }
}
