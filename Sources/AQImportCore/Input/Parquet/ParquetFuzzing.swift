/// Entry points for the libFuzzer targets in Fuzz/: the Thrift decoder over a footer, and the page
/// decoder over a column chunk. Either may fail with an error; neither may crash, hang or allocate
/// without bound.
public enum ParquetFuzzing {
    /// Decodes `bytes` as a footer: the metadata, the schema's leaves, every row group's chunks.
    /// Returns the number of leaves, or nil when the footer is refused.
    @discardableResult
    public static func decodeFooter(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBytes { footer -> Int? in
            guard let metadata = try? ParquetFileMetadata.decode(footer),
                let schema = try? ParquetSchema(elements: metadata.schema)
            else { return nil }
            let all = Array(schema.leaves.indices)
            guard (try? metadata.rowGroups(footer, wanted: all, leafCount: all.count)) != nil else { return nil }
            return all.count
        }
    }

    /// Decodes `bytes` as a column chunk: the first byte picks the physical type, whether the column
    /// is optional and the codec; the rest is the chunk (page headers and pages). Returns the number of
    /// values read before the first error or the end.
    @discardableResult
    public static func decodeColumnChunk(_ bytes: [UInt8], maxPageBytes: Int = 1 << 20) -> Int {
        guard let selector = bytes.first else { return 0 }
        let type = ParquetPhysicalType(rawValue: Int32(selector % 8)) ?? .byteArray
        let optional = selector & 0x08 != 0
        let codec = Int32((selector >> 4) % 8)
        var element = ParquetSchemaElement()
        element.name = "c"
        element.type = type
        element.typeLength = 16
        element.repetition = optional ? .optional : .required
        let leaf = ParquetLeafColumn(
            index: 0, path: ["c"], element: element, maxDefinitionLevel: optional ? 1 : 0, maxRepetitionLevel: 0)
        let file = Array("PAR1".utf8) + bytes.dropFirst()
        var chunk = ParquetColumnChunk()
        chunk.type = type
        chunk.codec = codec
        chunk.numValues = 100_000
        chunk.totalCompressedSize = Int64(file.count - 4)
        chunk.dataPageOffset = 4
        chunk.hasMetadata = true
        let input = MemoryRandomAccessInput(file)
        guard
            let cursor = try? ParquetColumnCursor(
                input: input, chunk: chunk, leaf: leaf, dataEnd: file.count, maxPageBytes: maxPageBytes)
        else { return 0 }
        var values = 0
        var checksum = 0
        while values < 100_000, let present = try? cursor.next() {
            if present, let first = cursor.value.first { checksum &+= Int(first) }
            values += 1
        }
        return values &+ (checksum & 0)
    }
}
