import CZlib

/// Walks one column chunk value by value: reads the chunk with one positioned read, then decodes it
/// page by page (dictionary, data v1 and v2; index pages skipped), checking CRCs when pages carry
/// them. Only columns outside lists (no repetition levels) are read this way.
/// One reader's thread alone uses a cursor, value after value: its state skips exclusivity checks.
final class ParquetColumnCursor {
    let leaf: ParquetLeafColumn
    /// A page claiming more than this uncompressed is refused before anything is allocated (the row
    /// size limit: a page is at least one row's worth of one column).
    private let maxPageBytes: Int
    private let codec: ParquetCodec
    private let width: Int
    private let isByteArray: Bool
    private let maxDefinition: UInt32
    private let definitionWidth: Int

    private let chunkBytes = ParquetBuffer()
    @exclusivity(unchecked) private var at = 0
    @exclusivity(unchecked) private var valuesLeft: Int64

    private let pageBuffer = ParquetBuffer()
    private let dictionaryBuffer = ParquetBuffer()
    private let scratch = ParquetBuffer()
    @exclusivity(unchecked) private var dictionarySpans: [UInt64] = []
    @exclusivity(unchecked) private var dictionaryCount = 0
    @exclusivity(unchecked) private var hasDictionary = false
    @exclusivity(unchecked) private var sawDataPage = false

    @exclusivity(unchecked) private var definitions: [UInt32] = []
    @exclusivity(unchecked) private var indices: [UInt32] = []
    @exclusivity(unchecked) private var spans: [UInt64] = []
    @exclusivity(unchecked) private var valuesBase = UnsafeRawPointer(bitPattern: 16)!
    @exclusivity(unchecked) private var usesDictionary = false
    @exclusivity(unchecked) private var pageValues = 0
    @exclusivity(unchecked) private var pagePosition = 0
    @exclusivity(unchecked) private var valuePosition = 0
    @exclusivity(unchecked) private var integers: [Int64] = []

    /// The current value's bytes (after `next()` returned true), valid until the next call.
    @exclusivity(unchecked) private(set) var value = UnsafeRawBufferPointer(start: nil, count: 0)

    init(
        input: RandomAccessInput, chunk: ParquetColumnChunk, leaf: ParquetLeafColumn, dataEnd: Int, maxPageBytes: Int
    ) throws(ParquetFormatError) {
        self.leaf = leaf
        self.maxPageBytes = maxPageBytes
        guard leaf.maxRepetitionLevel == 0 else {
            throw ParquetFormatError("the column is inside a list (repeated values)")
        }
        guard let codec = ParquetCodec(rawValue: chunk.codec) else {
            throw ParquetFormatError("an unknown compression codec \(chunk.codec)")
        }
        guard chunk.type == leaf.physicalType else {
            throw ParquetFormatError(
                "the chunk's type \(chunk.type.name) differs from the schema's \(leaf.physicalType.name)")
        }
        self.codec = codec
        isByteArray = leaf.physicalType == .byteArray
        width =
            leaf.physicalType == .boolean ? 1 : (leaf.physicalType.fixedWidth(typeLength: leaf.element.typeLength) ?? 0)
        maxDefinition = UInt32(leaf.maxDefinitionLevel)
        definitionWidth = ParquetDecoding.bitWidth(leaf.maxDefinitionLevel)
        valuesLeft = chunk.numValues
        let start = chunk.startOffset
        guard chunk.numValues >= 0, start >= 4, chunk.totalCompressedSize >= 0,
            chunk.totalCompressedSize <= Int64(dataEnd) - start
        else {
            throw ParquetFormatError(
                "the column chunk (offset \(start), \(chunk.totalCompressedSize) bytes) lies outside the file's data")
        }
        chunkBytes.reset(size: Int(chunk.totalCompressedSize))
        do {
            try input.read(at: Int(start), into: chunkBytes.mutableBytes)
        } catch {
            throw ParquetFormatError("\(error)")
        }
    }

    /// Moves to the next value: true when it is present (`value` holds it), false when it is null.
    @inline(__always)
    func next() throws(ParquetFormatError) -> Bool {
        // A page may hold no values at all: load until one does (or the chunk ends, an error).
        while pagePosition == pageValues { try loadPage() }
        let present = maxDefinition == 0 || definitions[pagePosition] == maxDefinition
        pagePosition += 1
        guard present else { return false }
        let k = valuePosition
        valuePosition += 1
        if usesDictionary {
            let i = Int(indices[k])
            if isByteArray {
                let span = dictionarySpans[i]
                value = UnsafeRawBufferPointer(
                    start: UnsafeRawPointer(dictionaryBuffer.pointer) + Int(span >> 32), count: Int(span & 0xFFFF_FFFF))
            } else {
                value = UnsafeRawBufferPointer(
                    start: UnsafeRawPointer(dictionaryBuffer.pointer) + i * width, count: width)
            }
        } else if isByteArray {
            let span = spans[k]
            value = UnsafeRawBufferPointer(start: valuesBase + Int(span >> 32), count: Int(span & 0xFFFF_FFFF))
        } else {
            value = UnsafeRawBufferPointer(start: valuesBase + k * width, count: width)
        }
        return true
    }

    private func fail(_ message: String) -> ParquetFormatError { ParquetFormatError(message) }

    private func loadPage() throws(ParquetFormatError) {
        while true {
            guard valuesLeft > 0 else {
                throw fail("the column chunk holds fewer values than the row group has rows")
            }
            guard at < chunkBytes.count else {
                throw fail("the column chunk ends with \(valuesLeft) values still to come")
            }
            let chunk = chunkBytes.bytes
            var reader = ThriftCompactReader(UnsafeRawBufferPointer(rebasing: chunk[at...]))
            let header: ParquetPageHeader
            do {
                header = try ParquetPageHeader.decode(&reader)
            } catch {
                throw .thrift(error, what: "a page header (at byte \(at) of the chunk)")
            }
            at += reader.position
            guard header.compressedSize <= chunk.count - at else {
                throw fail("a page of \(header.compressedSize) bytes where the chunk has \(chunk.count - at) left")
            }
            let body = UnsafeRawBufferPointer(rebasing: chunk[at..<at + header.compressedSize])
            at += header.compressedSize
            if let crc = header.crc {
                let computed = UInt32(
                    truncatingIfNeeded: crc32(
                        0, body.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(body.count)))
                guard computed == crc else {
                    throw fail(
                        "a page's CRC is \(String(computed, radix: 16)) where its header says \(String(crc, radix: 16))"
                    )
                }
            }
            guard header.uncompressedSize <= maxPageBytes else {
                throw fail(
                    "a page claims \(header.uncompressedSize) bytes uncompressed, over the row size limit (\(maxPageBytes) bytes)"
                )
            }
            switch header.kind {
            case .index:
                continue
            case .dictionary:
                try loadDictionary(header, body)
                continue
            case .dataV1, .dataV2:
                try loadData(header, body)
                return
            }
        }
    }

    private func decompress(_ body: UnsafeRawBufferPointer, size: Int, into buffer: ParquetBuffer)
        throws(ParquetFormatError)
    {
        buffer.reset(size: size)
        try codec.decompress(body, into: buffer.mutableBytes)
    }

    private func loadDictionary(_ header: ParquetPageHeader, _ body: UnsafeRawBufferPointer) throws(ParquetFormatError)
    {
        guard !hasDictionary, !sawDataPage else { throw fail("a dictionary page after the first page") }
        guard header.encoding == 0 || header.encoding == 2 else {
            throw fail("a dictionary page in encoding \(header.encoding) (expected PLAIN)")
        }
        try decompress(body, size: header.uncompressedSize, into: dictionaryBuffer)
        let count = header.numValues
        if isByteArray {
            dictionarySpans.removeAll(keepingCapacity: true)
            guard count <= dictionaryBuffer.count / 4 else {
                throw fail("a dictionary of \(count) values in \(dictionaryBuffer.count) bytes")
            }
            dictionarySpans.reserveCapacity(count)
            do {
                _ = try ParquetDecoding.plainByteArrays(dictionaryBuffer.bytes, count: count, into: &dictionarySpans)
            } catch {
                throw fail("the dictionary page: \(error.message)")
            }
        } else {
            guard leaf.physicalType != .boolean else { throw fail("a dictionary of booleans") }
            guard count <= dictionaryBuffer.count / width else {
                throw fail("a dictionary of \(count) values of \(width) bytes in \(dictionaryBuffer.count) bytes")
            }
        }
        dictionaryCount = count
        hasDictionary = true
    }

    private func loadData(_ header: ParquetPageHeader, _ body: UnsafeRawBufferPointer) throws(ParquetFormatError) {
        sawDataPage = true
        let count = header.numValues
        guard Int64(count) <= valuesLeft else {
            throw fail("a page of \(count) values where the chunk has \(valuesLeft) left")
        }
        guard count <= ParquetDecoding.maxValuesPerPage else { throw fail("a page of \(count) values") }
        var data: UnsafeRawBufferPointer
        definitions.removeAll(keepingCapacity: true)
        do {
            if header.kind == .dataV1 {
                try decompress(body, size: header.uncompressedSize, into: pageBuffer)
                data = pageBuffer.bytes
                if maxDefinition > 0 {
                    guard header.definitionEncoding == 3 else {
                        throw ParquetDecoding.Failure(
                            "definition levels in encoding \(header.definitionEncoding) (expected RLE)")
                    }
                    guard data.count >= 4 else { throw ParquetDecoding.Failure("definition levels past the page") }
                    let length = Int(ParquetDecoding.littleEndian32(data, 0))
                    guard length <= data.count - 4 else {
                        throw ParquetDecoding.Failure("definition levels of \(length) bytes past the page")
                    }
                    _ = try ParquetDecoding.hybrid(
                        UnsafeRawBufferPointer(rebasing: data[4..<4 + length]), bitWidth: definitionWidth, count: count,
                        into: &definitions)
                    data = UnsafeRawBufferPointer(rebasing: data[(4 + length)...])
                }
            } else {
                let levels = header.repetitionLevelsLength + header.definitionLevelsLength
                guard levels <= body.count, levels <= header.uncompressedSize else {
                    throw ParquetDecoding.Failure("levels of \(levels) bytes in a page of \(body.count)")
                }
                if maxDefinition > 0 {
                    let start = header.repetitionLevelsLength
                    _ = try ParquetDecoding.hybrid(
                        UnsafeRawBufferPointer(rebasing: body[start..<start + header.definitionLevelsLength]),
                        bitWidth: definitionWidth, count: count, into: &definitions)
                }
                let values = UnsafeRawBufferPointer(rebasing: body[levels...])
                if header.isCompressed && codec != .uncompressed {
                    try decompress(values, size: header.uncompressedSize - levels, into: pageBuffer)
                    data = pageBuffer.bytes
                } else {
                    guard values.count == header.uncompressedSize - levels else {
                        throw ParquetDecoding.Failure("an uncompressed page whose sizes disagree")
                    }
                    data = values
                }
            }
            var present = count
            if maxDefinition > 0 {
                present = 0
                for level in definitions {
                    if level == maxDefinition {
                        present += 1
                    } else if level > maxDefinition {
                        throw ParquetDecoding.Failure("a definition level of \(level) (at most \(maxDefinition))")
                    }
                }
            }
            if header.kind == .dataV2, header.numNulls != count - present {
                throw ParquetDecoding.Failure(
                    "the page header counts \(header.numNulls) nulls where its levels give \(count - present)")
            }
            try decodeValues(encoding: header.encoding, data, count: present)
        } catch let failure as ParquetDecoding.Failure {
            throw fail(failure.message)
        } catch let error as ParquetFormatError {
            throw error
        } catch {
            throw fail("\(error)")
        }
        valuesLeft -= Int64(count)
        pageValues = count
        pagePosition = 0
        valuePosition = 0
    }

    private func decodeValues(encoding: Int32, _ data: UnsafeRawBufferPointer, count: Int) throws {
        usesDictionary = false
        spans.removeAll(keepingCapacity: true)
        let type = leaf.physicalType
        switch encoding {
        case 0:  // PLAIN
            if isByteArray {
                guard count <= data.count / 4 else {
                    throw ParquetDecoding.Failure("\(count) byte arrays in \(data.count) bytes")
                }
                spans.reserveCapacity(count)
                _ = try ParquetDecoding.plainByteArrays(data, count: count, into: &spans)
                valuesBase = data.baseAddress ?? valuesBase
            } else if type == .boolean {
                guard count <= data.count * 8 else {
                    throw ParquetDecoding.Failure("\(count) booleans in \(data.count) bytes")
                }
                scratch.reset(size: count)
                var k = 0
                ParquetDecoding.unpack(data, at: 0, width: 1, count: count) { bit in
                    scratch.pointer.storeBytes(of: UInt8(bit), toByteOffset: k, as: UInt8.self)
                    k += 1
                }
                valuesBase = UnsafeRawPointer(scratch.pointer)
            } else {
                guard count <= data.count / width else {
                    throw ParquetDecoding.Failure("\(count) values of \(width) bytes in \(data.count) bytes")
                }
                valuesBase = data.baseAddress ?? valuesBase
            }
        case 2, 8:  // PLAIN_DICTIONARY, RLE_DICTIONARY
            guard hasDictionary else { throw ParquetDecoding.Failure("a dictionary-encoded page without a dictionary") }
            usesDictionary = true
            indices.removeAll(keepingCapacity: true)
            if count == 0 { return }
            guard data.count >= 1 else { throw ParquetDecoding.Failure("dictionary indices without their bit width") }
            let bitWidth = Int(data[0])
            _ = try ParquetDecoding.hybrid(
                UnsafeRawBufferPointer(rebasing: data[1...]), bitWidth: bitWidth, count: count, into: &indices)
            let limit = UInt32(dictionaryCount)
            for index in indices where index >= limit {
                throw ParquetDecoding.Failure(
                    "a dictionary index \(index) where the dictionary has \(dictionaryCount) values")
            }
        case 3:  // RLE, for booleans
            guard type == .boolean else { throw ParquetDecoding.Failure("RLE values in a \(type.name) column") }
            guard data.count >= 4 else { throw ParquetDecoding.Failure("RLE booleans without their length") }
            let length = Int(ParquetDecoding.littleEndian32(data, 0))
            guard length <= data.count - 4 else { throw ParquetDecoding.Failure("RLE booleans past the page") }
            indices.removeAll(keepingCapacity: true)
            _ = try ParquetDecoding.hybrid(
                UnsafeRawBufferPointer(rebasing: data[4..<4 + length]), bitWidth: 1, count: count, into: &indices)
            scratch.reset(size: count)
            for (k, bit) in indices.enumerated() {
                scratch.pointer.storeBytes(of: UInt8(truncatingIfNeeded: bit), toByteOffset: k, as: UInt8.self)
            }
            valuesBase = UnsafeRawPointer(scratch.pointer)
        case 5:  // DELTA_BINARY_PACKED
            guard type == .int32 || type == .int64 else {
                throw ParquetDecoding.Failure("DELTA_BINARY_PACKED values in a \(type.name) column")
            }
            integers.removeAll(keepingCapacity: true)
            _ = try ParquetDecoding.deltaBinaryPacked(data, maxCount: count, into: &integers)
            guard integers.count == count else {
                throw ParquetDecoding.Failure("\(integers.count) delta-packed values where the page holds \(count)")
            }
            scratch.reset(size: count * width)
            for (k, v) in integers.enumerated() {
                if width == 4 {
                    scratch.pointer.storeBytes(
                        of: Int32(truncatingIfNeeded: v).littleEndian, toByteOffset: k * 4, as: Int32.self)
                } else {
                    scratch.pointer.storeBytes(of: v.littleEndian, toByteOffset: k * 8, as: Int64.self)
                }
            }
            valuesBase = UnsafeRawPointer(scratch.pointer)
        case 6:  // DELTA_LENGTH_BYTE_ARRAY
            guard isByteArray else {
                throw ParquetDecoding.Failure("DELTA_LENGTH_BYTE_ARRAY values in a \(type.name) column")
            }
            _ = try ParquetDecoding.deltaLengthByteArrays(data, count: count, into: &spans)
            valuesBase = data.baseAddress ?? valuesBase
        case 7:  // DELTA_BYTE_ARRAY
            guard isByteArray || type == .fixedLenByteArray else {
                throw ParquetDecoding.Failure("DELTA_BYTE_ARRAY values in a \(type.name) column")
            }
            _ = try ParquetDecoding.deltaByteArrays(
                data, count: count, maxBytes: maxPageBytes, into: scratch, spans: &spans)
            if !isByteArray {
                for span in spans where Int(span & 0xFFFF_FFFF) != width {
                    throw ParquetDecoding.Failure(
                        "a DELTA_BYTE_ARRAY value of \(span & 0xFFFF_FFFF) bytes in a column of \(width)")
                }
            }
            valuesBase = UnsafeRawPointer(scratch.pointer)
        case 9:  // BYTE_STREAM_SPLIT
            guard width > 0, !isByteArray, type != .boolean else {
                throw ParquetDecoding.Failure("BYTE_STREAM_SPLIT values in a \(type.name) column")
            }
            _ = try ParquetDecoding.byteStreamSplit(data, count: count, width: width, into: scratch)
            valuesBase = UnsafeRawPointer(scratch.pointer)
        default:
            throw ParquetDecoding.Failure("an unknown or unsupported encoding \(encoding)")
        }
    }
}
