import CBrotli
import CLZ4
import CSnappy
import CZlib
import CZstd

/// The compression codecs (`CompressionCodec` in parquet.thrift), each through its Debian library.
/// A page is decompressed into a buffer of exactly the size its header gives, so a decompression bomb
/// can never produce more than that.
enum ParquetCodec: Int32, Sendable {
    case uncompressed = 0
    case snappy = 1
    case gzip = 2
    case lzo = 3
    case brotli = 4
    case lz4Hadoop = 5
    case zstd = 6
    case lz4Raw = 7

    var name: String {
        switch self {
        case .uncompressed: "UNCOMPRESSED"
        case .snappy: "SNAPPY"
        case .gzip: "GZIP"
        case .lzo: "LZO"
        case .brotli: "BROTLI"
        case .lz4Hadoop: "LZ4"
        case .zstd: "ZSTD"
        case .lz4Raw: "LZ4_RAW"
        }
    }

    /// Fills `output` (the uncompressed size the header gives) from `input`; throws a message when
    /// the data is damaged or does not decompress to exactly that size.
    func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
        throws(ParquetFormatError)
    {
        let expected = output.count
        func mismatch(_ got: Int) -> ParquetFormatError {
            ParquetFormatError("the page decompresses to \(got) bytes where its header says \(expected)")
        }
        let src = input.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        let dst = output.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 1)!
        switch self {
        case .uncompressed:
            guard input.count == expected else { throw mismatch(input.count) }
            if expected > 0 { dst.copyMemory(from: src, byteCount: expected) }
        case .snappy:
            var length = 0
            guard
                snappy_uncompressed_length(src.assumingMemoryBound(to: CChar.self), input.count, &length)
                    == SNAPPY_OK
            else { throw ParquetFormatError("the page is not valid Snappy data") }
            guard length == expected else { throw mismatch(length) }
            var produced = expected
            guard
                snappy_uncompress(
                    src.assumingMemoryBound(to: CChar.self), input.count, dst.assumingMemoryBound(to: CChar.self),
                    &produced) == SNAPPY_OK
            else { throw ParquetFormatError("the page is not valid Snappy data") }
            guard produced == expected else { throw mismatch(produced) }
        case .gzip:
            try Self.inflate(input, into: output)
        case .zstd:
            let produced = ZSTD_decompress(dst, expected, src, input.count)
            if ZSTD_isError(produced) != 0 {
                let reason = String(cString: ZSTD_getErrorName(produced))
                throw ParquetFormatError("the page is not valid Zstandard data (\(reason))")
            }
            guard produced == expected else { throw mismatch(produced) }
        case .lz4Raw:
            try Self.lz4Block(input, into: output)
        case .lz4Hadoop:
            // Hadoop's framing (big-endian sizes before each block); some writers put a bare block.
            if (try? Self.lz4Hadoop(input, into: output)) == nil {
                try Self.lz4Block(input, into: output)
            }
        case .brotli:
            var produced = expected
            let result = BrotliDecoderDecompress(
                input.count, src.assumingMemoryBound(to: UInt8.self), &produced, dst.assumingMemoryBound(to: UInt8.self)
            )
            guard result == BROTLI_DECODER_RESULT_SUCCESS else {
                throw ParquetFormatError("the page is not valid Brotli data, or larger than its header says")
            }
            guard produced == expected else { throw mismatch(produced) }
        case .lzo:
            throw ParquetFormatError("the LZO codec is not supported (no Debian library for it)")
        }
    }

    private static func lz4Block(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
        throws(ParquetFormatError)
    {
        guard input.count <= Int(Int32.max), output.count <= Int(Int32.max) else {
            throw ParquetFormatError("an LZ4 page over 2 GiB")
        }
        guard let src = input.baseAddress, let dst = output.baseAddress else {
            guard input.count == 1 || output.count == 0 else { throw ParquetFormatError("an empty LZ4 page") }
            return
        }
        let produced = LZ4_decompress_safe(
            src.assumingMemoryBound(to: CChar.self), dst.assumingMemoryBound(to: CChar.self), Int32(input.count),
            Int32(output.count))
        guard produced >= 0 else { throw ParquetFormatError("the page is not valid LZ4 data") }
        guard Int(produced) == output.count else {
            throw ParquetFormatError("the page decompresses to \(produced) bytes where its header says \(output.count)")
        }
    }

    private static func lz4Hadoop(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
        throws(ParquetFormatError)
    {
        func bigEndian(_ at: Int) -> Int {
            Int(input[at]) << 24 | Int(input[at + 1]) << 16 | Int(input[at + 2]) << 8 | Int(input[at + 3])
        }
        var inAt = 0
        var outAt = 0
        while inAt < input.count {
            guard input.count - inAt >= 8 else { throw ParquetFormatError("a truncated Hadoop LZ4 frame") }
            let decompressed = bigEndian(inAt)
            let compressed = bigEndian(inAt + 4)
            inAt += 8
            guard compressed <= input.count - inAt, decompressed <= output.count - outAt else {
                throw ParquetFormatError("a Hadoop LZ4 frame larger than the page")
            }
            try lz4Block(
                UnsafeRawBufferPointer(rebasing: input[inAt..<inAt + compressed]),
                into: UnsafeMutableRawBufferPointer(rebasing: output[outAt..<outAt + decompressed]))
            inAt += compressed
            outAt += decompressed
        }
        guard outAt == output.count else { throw ParquetFormatError("Hadoop LZ4 frames shorter than the page") }
    }

    /// Gzip (or zlib) data, several concatenated gzip members included.
    private static func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
        throws(ParquetFormatError)
    {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ParquetFormatError("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        guard input.count <= Int(UInt32.max), output.count <= Int(UInt32.max) else {
            throw ParquetFormatError("a GZIP page over 4 GiB")
        }
        // zlib wants somewhere to write even when nothing may be written.
        let spare = UnsafeMutablePointer<Bytef>.allocate(capacity: 1)
        defer { spare.deallocate() }
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = UInt32(input.count)
        stream.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self) ?? spare
        stream.avail_out = UInt32(output.count)
        while true {
            let status = CZlib.inflate(&stream, Z_NO_FLUSH)
            if status == Z_STREAM_END {
                // Another member may follow (skipping padding zeros, as gzip does).
                while stream.avail_in > 0 && stream.next_in.pointee == 0 {
                    stream.next_in += 1
                    stream.avail_in -= 1
                }
                if stream.avail_in == 0 { break }
                guard inflateReset(&stream) == Z_OK else { throw ParquetFormatError("zlib could not restart") }
                continue
            }
            if status == Z_OK {
                if stream.avail_out == 0 {
                    throw ParquetFormatError(
                        "the page decompresses to more than the \(output.count) bytes its header says")
                }
                if stream.avail_in == 0 { throw ParquetFormatError("the page's GZIP data is truncated") }
                continue
            }
            if status == Z_BUF_ERROR && stream.avail_out == 0 {
                throw ParquetFormatError("the page decompresses to more than the \(output.count) bytes its header says")
            }
            if status == Z_BUF_ERROR { throw ParquetFormatError("the page's GZIP data is truncated") }
            throw ParquetFormatError("the page is not valid GZIP data")
        }
        let produced = output.count - Int(stream.avail_out)
        guard produced == output.count else {
            throw ParquetFormatError("the page decompresses to \(produced) bytes where its header says \(output.count)")
        }
    }
}
