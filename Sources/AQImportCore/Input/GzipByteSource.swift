import CZlib

/// Inflates gzip data as it is read (`inflateInit2` with 16 + MAX_WBITS: gzip wrapper only).
/// Concatenated gzip members are read one after another, as `gzip -d` does. Data that ends before
/// the gzip trailer is a truncated file and an error, never a silent short read.
final class GzipByteSource: ByteSource {
    private let base: ByteSource
    private let name: String
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var inputEnded = false
    private var memberEnded = false
    private var finished = false

    init(_ base: ByteSource, name: String) throws {
        self.base = base
        self.name = name
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = .allocate(byteCount: 65_536, alignment: 16)
        let status = inflateInit2_(stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            input.deallocate()
            throw InputError(file: name, message: "cannot start gzip decompression (zlib status \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished, let out = buffer.baseAddress, buffer.count > 0 else { return 0 }
        stream.pointee.next_out = out.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = UInt32(clamping: buffer.count)
        let capacity = Int(stream.pointee.avail_out)
        while stream.pointee.avail_out == capacity {
            if stream.pointee.avail_in == 0 && !inputEnded {
                let n = try base.read(into: input)
                if n == 0 {
                    inputEnded = true
                } else {
                    stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.pointee.avail_in = UInt32(n)
                }
            }
            if stream.pointee.avail_in == 0 && inputEnded {
                if memberEnded {
                    finished = true
                    return 0
                }
                throw InputError(
                    file: name, message: "truncated gzip data: the file ends before the end of the compressed stream")
            }
            if memberEnded {
                // More bytes after a complete member: another member follows.
                inflateReset(stream)
                memberEnded = false
            }
            let status = inflate(stream, Z_NO_FLUSH)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                break
            case Z_STREAM_END:
                memberEnded = true
            default:
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                throw InputError(file: name, message: "corrupt gzip data: \(detail)")
            }
        }
        return capacity - Int(stream.pointee.avail_out)
    }
}
