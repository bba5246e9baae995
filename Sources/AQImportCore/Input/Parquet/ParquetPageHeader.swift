/// A page's header (`PageHeader` and the header of its kind).
struct ParquetPageHeader: Sendable, Hashable {
    enum Kind: Int32, Sendable {
        case dataV1 = 0
        case index = 1
        case dictionary = 2
        case dataV2 = 3
    }

    var kind: Kind = .dataV1
    var uncompressedSize = 0
    var compressedSize = 0
    var crc: UInt32?
    var numValues = 0
    var encoding: Int32 = 0
    var definitionEncoding: Int32 = 3
    var repetitionEncoding: Int32 = 3
    // Data page v2 only.
    var numNulls = 0
    var numRows = 0
    var definitionLevelsLength = 0
    var repetitionLevelsLength = 0
    var isCompressed = true

    static func decode(_ r: inout ThriftCompactReader) throws(ThriftError) -> ParquetPageHeader {
        var h = ParquetPageHeader()
        var seen = Set<Int16>()
        func nonNegative(_ r: inout ThriftCompactReader, _ what: String) throws(ThriftError) -> Int {
            let v = try r.readI32()
            guard v >= 0 else { throw r.error("a negative \(what) (\(v))") }
            return Int(v)
        }
        try r.readStruct { (r: inout ThriftCompactReader, id: Int16, type) throws(ThriftError) in
            seen.insert(id)
            switch id {
            case 1:
                try r.expect(type, .i32, field: "PageHeader.type")
                let raw = try r.readI32()
                guard let kind = Kind(rawValue: raw) else { throw r.error("an unknown page type \(raw)") }
                h.kind = kind
            case 2:
                try r.expect(type, .i32, field: "PageHeader.uncompressed_page_size")
                h.uncompressedSize = try nonNegative(&r, "uncompressed page size")
            case 3:
                try r.expect(type, .i32, field: "PageHeader.compressed_page_size")
                h.compressedSize = try nonNegative(&r, "compressed page size")
            case 4:
                try r.expect(type, .i32, field: "PageHeader.crc")
                h.crc = UInt32(bitPattern: try r.readI32())
            case 5:
                try r.expect(type, .structure, field: "PageHeader.data_page_header")
                try r.readStruct { (r: inout ThriftCompactReader, id: Int16, type) throws(ThriftError) in
                    switch id {
                    case 1:
                        try r.expect(type, .i32, field: "DataPageHeader.num_values")
                        h.numValues = try nonNegative(&r, "value count")
                    case 2:
                        try r.expect(type, .i32, field: "DataPageHeader.encoding")
                        h.encoding = try r.readI32()
                    case 3:
                        try r.expect(type, .i32, field: "DataPageHeader.definition_level_encoding")
                        h.definitionEncoding = try r.readI32()
                    case 4:
                        try r.expect(type, .i32, field: "DataPageHeader.repetition_level_encoding")
                        h.repetitionEncoding = try r.readI32()
                    default: try r.skip(type)
                    }
                }
            case 7:
                try r.expect(type, .structure, field: "PageHeader.dictionary_page_header")
                try r.readStruct { (r: inout ThriftCompactReader, id: Int16, type) throws(ThriftError) in
                    switch id {
                    case 1:
                        try r.expect(type, .i32, field: "DictionaryPageHeader.num_values")
                        h.numValues = try nonNegative(&r, "dictionary size")
                    case 2:
                        try r.expect(type, .i32, field: "DictionaryPageHeader.encoding")
                        h.encoding = try r.readI32()
                    default: try r.skip(type)
                    }
                }
            case 8:
                try r.expect(type, .structure, field: "PageHeader.data_page_header_v2")
                try r.readStruct { (r: inout ThriftCompactReader, id: Int16, type) throws(ThriftError) in
                    switch id {
                    case 1:
                        try r.expect(type, .i32, field: "DataPageHeaderV2.num_values")
                        h.numValues = try nonNegative(&r, "value count")
                    case 2:
                        try r.expect(type, .i32, field: "DataPageHeaderV2.num_nulls")
                        h.numNulls = try nonNegative(&r, "null count")
                    case 3:
                        try r.expect(type, .i32, field: "DataPageHeaderV2.num_rows")
                        h.numRows = try nonNegative(&r, "row count")
                    case 4:
                        try r.expect(type, .i32, field: "DataPageHeaderV2.encoding")
                        h.encoding = try r.readI32()
                    case 5:
                        try r.expect(type, .i32, field: "DataPageHeaderV2.definition_levels_byte_length")
                        h.definitionLevelsLength = try nonNegative(&r, "definition levels length")
                    case 6:
                        try r.expect(type, .i32, field: "DataPageHeaderV2.repetition_levels_byte_length")
                        h.repetitionLevelsLength = try nonNegative(&r, "repetition levels length")
                    case 7:
                        try r.expect(type, .boolTrue, field: "DataPageHeaderV2.is_compressed")
                        h.isCompressed = try r.readBool()
                    default: try r.skip(type)
                    }
                }
            default:
                try r.skip(type)
            }
        }
        for required: Int16 in [1, 2, 3] where !seen.contains(required) {
            throw r.error("a page header without its required field \(required)")
        }
        let body: Int16? =
            switch h.kind {
            case .dataV1: 5
            case .dictionary: 7
            case .dataV2: 8
            case .index: nil
            }
        if let body, !seen.contains(body) { throw r.error("a \(h.kind) page without its header") }
        return h
    }
}
