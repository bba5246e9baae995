import Crypto

/// Counts the raw bytes of an input as they pass and, when asked, hashes them (the journal's
/// fingerprint of a file is the SHA-256 of its bytes as stored, compressed or not).
final class TallyingByteSource: ByteSource {
    private let base: ByteSource
    private var hasher: SHA256?
    private(set) var byteCount = 0

    init(_ base: ByteSource, computeSHA256: Bool) {
        self.base = base
        self.hasher = computeSHA256 ? SHA256() : nil
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try base.read(into: buffer)
        byteCount += n
        if n > 0, hasher != nil {
            hasher!.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        return n
    }

    /// The hex digest of everything read so far; call once, at the end.
    func finishHash() -> String? {
        guard let hasher else { return nil }
        return Hex.encode(hasher.finalize())
    }
}
