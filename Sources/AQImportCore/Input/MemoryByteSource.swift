/// Bytes held in memory, handed out at most `chunkSize` at a time: lets tests cut input anywhere.
final class MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private let chunkSize: Int
    private var position = 0

    init(_ bytes: [UInt8], chunkSize: Int = 65_536) {
        precondition(chunkSize > 0)
        self.bytes = bytes
        self.chunkSize = chunkSize
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(chunkSize, buffer.count, bytes.count - position)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[position..<(position + n)]))
        }
        position += n
        return n
    }
}
