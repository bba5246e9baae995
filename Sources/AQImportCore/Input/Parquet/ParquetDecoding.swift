/// Parquet's value and level encodings (Encodings.md) as pure functions over byte buffers. Each
/// checks every length against the bytes it has before reading or allocating, and returns how many
/// bytes it used.
enum ParquetDecoding {
    struct Failure: Error, Hashable {
        var message: String
        init(_ message: String) { self.message = message }
    }

    /// More values than this in one page is refused (writers put at most tens of thousands).
    static let maxValuesPerPage = 1 << 24

    @inline(__always)
    static func varint(_ src: UnsafeRawBufferPointer, _ at: inout Int) throws(Failure) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard at < src.count else { throw Failure("a varint runs past the end of the data") }
            let b = src[at]
            at += 1
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            guard shift < 64 else { throw Failure("a varint longer than 64 bits") }
        }
    }

    @inline(__always)
    static func zigzag(_ v: UInt64) -> Int64 { Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1))) }

    @inline(__always)
    static func littleEndian32(_ src: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        UInt32(src[at]) | UInt32(src[at + 1]) << 8 | UInt32(src[at + 2]) << 16 | UInt32(src[at + 3]) << 24
    }

    /// Bits needed for values up to `maxValue` (levels' bit width).
    static func bitWidth(_ maxValue: Int) -> Int {
        maxValue == 0 ? 0 : Int.bitWidth - maxValue.leadingZeroBitCount
    }

    /// `count` values of `width` bits, packed from the least significant bit, starting at `src[at]`.
    @inline(__always)
    static func unpack(
        _ src: UnsafeRawBufferPointer, at: Int, width: Int, count: Int, _ emit: (UInt64) -> Void
    ) {
        if width == 0 {
            for _ in 0..<count { emit(0) }
            return
        }
        let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
        var bitPosition = at * 8
        for _ in 0..<count {
            var byte = bitPosition >> 3
            var shift = bitPosition & 7
            var value: UInt64 = 0
            var filled = 0
            while filled < width {
                value |= (UInt64(src[byte]) >> UInt64(shift)) << UInt64(filled)
                filled += 8 - shift
                shift = 0
                byte += 1
            }
            emit(value & mask)
            bitPosition += width
        }
    }

    /// The RLE / bit-packed hybrid (levels, dictionary indices, booleans), without a length prefix:
    /// appends `count` values to `out`.
    static func hybrid(
        _ src: UnsafeRawBufferPointer, bitWidth: Int, count: Int, into out: inout [UInt32]
    ) throws(Failure) -> Int {
        guard bitWidth <= 32 else { throw Failure("a bit width of \(bitWidth) (at most 32)") }
        guard count <= maxValuesPerPage else { throw Failure("\(count) values in one page") }
        var at = 0
        var produced = 0
        let valueBytes = (bitWidth + 7) / 8
        while produced < count {
            let header = try varint(src, &at)
            if header & 1 == 1 {
                let groups = header >> 1
                guard groups > 0, groups <= UInt64(count) else { throw Failure("a bit-packed run of \(groups) groups") }
                let values = Int(groups) * 8
                let wanted = min(values, count - produced)
                let available = (src.count - at) * 8 / max(bitWidth, 1)
                guard bitWidth == 0 || wanted <= available else {
                    throw Failure("a bit-packed run longer than its data")
                }
                unpack(src, at: at, width: bitWidth, count: wanted) { out.append(UInt32(truncatingIfNeeded: $0)) }
                at = min(src.count, at + Int(groups) * bitWidth)
                produced += wanted
            } else {
                let run = header >> 1
                guard run > 0 else { throw Failure("an RLE run of length 0") }
                guard src.count - at >= valueBytes else { throw Failure("an RLE run without its value") }
                var value: UInt32 = 0
                for k in 0..<valueBytes { value |= UInt32(src[at + k]) << (8 * UInt32(k)) }
                at += valueBytes
                let n = Int(min(run, UInt64(count - produced)))
                out.append(contentsOf: repeatElement(value, count: n))
                produced += n
            }
        }
        return at
    }

    /// DELTA_BINARY_PACKED: appends the values (at most `maxCount` of them) to `out`.
    static func deltaBinaryPacked(
        _ src: UnsafeRawBufferPointer, maxCount: Int, into out: inout [Int64]
    ) throws(Failure) -> Int {
        var at = 0
        let blockSize = try varint(src, &at)
        let miniblocks = try varint(src, &at)
        let total = try varint(src, &at)
        var last = zigzag(try varint(src, &at))
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= 1 << 20, miniblocks > 0, blockSize % miniblocks == 0,
            (blockSize / miniblocks) % 32 == 0
        else {
            throw Failure("a delta header with block size \(blockSize) and \(miniblocks) miniblocks")
        }
        guard total <= UInt64(maxCount) else {
            throw Failure("a delta block of \(total) values where at most \(maxCount) are expected")
        }
        let total32 = Int(total)
        if total32 == 0 { return at }
        let perMiniblock = Int(blockSize / miniblocks)
        let miniblockCount = Int(miniblocks)
        var produced = 1
        out.append(last)
        while produced < total32 {
            let minDelta = zigzag(try varint(src, &at))
            guard src.count - at >= miniblockCount else { throw Failure("a delta block without its bit widths") }
            let widthsAt = at
            at += miniblockCount
            for m in 0..<miniblockCount where produced < total32 {
                let width = Int(src[widthsAt + m])
                guard width <= 64 else { throw Failure("a delta bit width of \(width) (at most 64)") }
                let bytes = perMiniblock * width / 8
                let wanted = min(perMiniblock, total32 - produced)
                guard (src.count - at) * 8 >= wanted * width else { throw Failure("a delta miniblock past the data") }
                unpack(src, at: at, width: width, count: wanted) { delta in
                    last = last &+ minDelta &+ Int64(bitPattern: delta)
                    out.append(last)
                }
                produced += wanted
                at = min(src.count, at + bytes)
            }
        }
        return at
    }

    /// Byte arrays as (start, length) spans into `src`: PLAIN (a 4-byte length before each).
    static func plainByteArrays(
        _ src: UnsafeRawBufferPointer, count: Int, into spans: inout [UInt64]
    ) throws(Failure) -> Int {
        var at = 0
        for _ in 0..<count {
            guard src.count - at >= 4 else { throw Failure("a byte array's length runs past the page") }
            let length = Int(littleEndian32(src, at))
            at += 4
            guard length <= src.count - at else {
                throw Failure("a byte array of \(length) bytes where \(src.count - at) remain")
            }
            spans.append(UInt64(at) << 32 | UInt64(length))
            at += length
        }
        return at
    }

    /// DELTA_LENGTH_BYTE_ARRAY: the lengths (delta packed), then the bytes one after the other.
    static func deltaLengthByteArrays(
        _ src: UnsafeRawBufferPointer, count: Int, into spans: inout [UInt64]
    ) throws(Failure) -> Int {
        var lengths: [Int64] = []
        var at = try deltaBinaryPacked(src, maxCount: count, into: &lengths)
        guard lengths.count == count else {
            throw Failure("\(lengths.count) lengths where the page holds \(count) values")
        }
        for length in lengths {
            guard length >= 0, length <= Int64(src.count - at) else {
                throw Failure("a byte array of \(length) bytes where \(src.count - at) remain")
            }
            spans.append(UInt64(at) << 32 | UInt64(length))
            at += Int(length)
        }
        return at
    }

    /// DELTA_BYTE_ARRAY: each value is a prefix of the one before plus a suffix; rebuilt into `out`,
    /// with spans into it. `maxBytes` bounds what the rebuilt values may take.
    static func deltaByteArrays(
        _ src: UnsafeRawBufferPointer, count: Int, maxBytes: Int, into out: ParquetBuffer, spans: inout [UInt64]
    ) throws(Failure) -> Int {
        var prefixes: [Int64] = []
        let used = try deltaBinaryPacked(src, maxCount: count, into: &prefixes)
        guard prefixes.count == count else {
            throw Failure("\(prefixes.count) prefix lengths where the page holds \(count) values")
        }
        var suffixes: [UInt64] = []
        suffixes.reserveCapacity(count)
        let rest = UnsafeRawBufferPointer(rebasing: src[used...])
        let usedSuffixes = try deltaLengthByteArrays(rest, count: count, into: &suffixes)
        out.count = 0
        var previousStart = 0
        var previousLength = 0
        for k in 0..<count {
            let prefix = prefixes[k]
            guard prefix >= 0, prefix <= Int64(previousLength) else {
                throw Failure("a prefix of \(prefix) bytes where the value before has \(previousLength)")
            }
            let suffixStart = Int(suffixes[k] >> 32)
            let suffixLength = Int(suffixes[k] & 0xFFFF_FFFF)
            let length = Int(prefix) + suffixLength
            guard out.count + length <= maxBytes else {
                throw Failure("the page's values rebuild to more than \(maxBytes) bytes")
            }
            out.reserve(extra: length)
            let start = out.count
            if prefix > 0 {
                (out.pointer + start).copyMemory(from: out.pointer + previousStart, byteCount: Int(prefix))
            }
            if suffixLength > 0 {
                (out.pointer + start + Int(prefix)).copyMemory(
                    from: rest.baseAddress! + suffixStart, byteCount: suffixLength)
            }
            out.count += length
            spans.append(UInt64(start) << 32 | UInt64(length))
            previousStart = start
            previousLength = length
        }
        return used + usedSuffixes
    }

    /// BYTE_STREAM_SPLIT: `width` streams of `count` bytes, gathered back into `count` values.
    static func byteStreamSplit(
        _ src: UnsafeRawBufferPointer, count: Int, width: Int, into out: ParquetBuffer
    ) throws(Failure) -> Int {
        let size = count * width
        guard width > 0, size <= src.count else {
            throw Failure("byte-stream-split data of \(src.count) bytes for \(count) values of \(width) bytes")
        }
        out.reset(size: size)
        let dst = out.pointer.assumingMemoryBound(to: UInt8.self)
        for stream in 0..<width {
            let base = stream * count
            for i in 0..<count { dst[i * width + stream] = src[base + i] }
        }
        return size
    }
}
