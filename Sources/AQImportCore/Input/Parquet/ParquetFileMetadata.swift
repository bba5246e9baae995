/// The footer's `FileMetaData`, decoded in two steps: the schema first, then (once the columns in use
/// are known) the row groups, keeping only those columns' chunks so that a wide file's footer costs
/// little memory.
struct ParquetFileMetadata: Sendable {
    /// More schema elements than this is refused (real exports have tens to thousands).
    static let maxSchemaElements = 100_000

    var schema: [ParquetSchemaElement] = []
    var numRows: Int64 = 0
    var createdBy: String?
    /// Where the `row_groups` list sits in the footer.
    var rowGroupsPosition: Int?

    static func decode(_ footer: UnsafeRawBufferPointer) throws(ParquetFormatError) -> ParquetFileMetadata {
        var m = ParquetFileMetadata()
        var r = ThriftCompactReader(footer)
        var hasSchema = false
        var hasNumRows = false
        do {
            try r.readStruct { (r: inout ThriftCompactReader, id: Int16, type) throws(ThriftError) in
                switch id {
                case 2:
                    try r.expect(type, .list, field: "FileMetaData.schema")
                    let (elementType, count) = try r.readListHeader()
                    guard elementType == .structure else { throw r.error("a schema that is not a list of structs") }
                    guard count <= maxSchemaElements else {
                        throw r.error("a schema of \(count) elements (at most \(maxSchemaElements))")
                    }
                    m.schema.reserveCapacity(min(count, 1024))
                    for _ in 0..<count { m.schema.append(try ParquetSchemaElement.decode(&r)) }
                    hasSchema = true
                case 3:
                    try r.expect(type, .i64, field: "FileMetaData.num_rows")
                    m.numRows = try r.readI64()
                    hasNumRows = true
                case 4:
                    try r.expect(type, .list, field: "FileMetaData.row_groups")
                    m.rowGroupsPosition = r.position
                    try r.skip(type)
                case 6:
                    try r.expect(type, .binary, field: "FileMetaData.created_by")
                    m.createdBy = try r.readString()
                case 8:
                    throw r.error(
                        "encrypted columns (an encryption algorithm in the footer); aq-import reads unencrypted files")
                default:
                    try r.skip(type)
                }
            }
        } catch {
            throw .thrift(error, what: "the footer")
        }
        guard hasSchema, hasNumRows, m.rowGroupsPosition != nil else {
            throw ParquetFormatError("the footer lacks its schema, row count or row groups")
        }
        guard m.numRows >= 0 else { throw ParquetFormatError("the footer gives a negative row count") }
        return m
    }

    /// The row groups, with the chunks of the leaf columns `wanted` (indices into the schema's
    /// leaves), in that order.
    func rowGroups(_ footer: UnsafeRawBufferPointer, wanted: [Int], leafCount: Int) throws(ParquetFormatError)
        -> [ParquetRowGroup]
    {
        var r = ThriftCompactReader(footer, position: rowGroupsPosition ?? 0)
        var groups: [ParquetRowGroup] = []
        do {
            let (elementType, count) = try r.readListHeader()
            guard elementType == .structure else { throw r.error("row groups that are not a list of structs") }
            groups.reserveCapacity(min(count, 1024))
            for index in 0..<count {
                do {
                    groups.append(try ParquetRowGroup.decode(&r, wanted: wanted, leafCount: leafCount))
                } catch let error as ParquetFormatError {
                    throw error.located(rowGroup: index, column: nil)
                }
            }
        } catch let error as ThriftError {
            throw .thrift(error, what: "the footer's row groups")
        } catch let error as ParquetFormatError {
            throw error
        } catch {
            throw ParquetFormatError("\(error)")
        }
        return groups
    }
}

struct ParquetRowGroup: Sendable {
    var numRows: Int64 = 0
    /// The chunks of the wanted columns, in the order asked for.
    var chunks: [ParquetColumnChunk] = []

    static func decode(_ r: inout ThriftCompactReader, wanted: [Int], leafCount: Int) throws -> ParquetRowGroup {
        var g = ParquetRowGroup()
        var found: [Int: ParquetColumnChunk] = [:]
        var columnCount = 0
        var hasRows = false
        try r.readStruct { (r: inout ThriftCompactReader, id: Int16, type) throws(ThriftError) in
            switch id {
            case 1:
                try r.expect(type, .list, field: "RowGroup.columns")
                let (elementType, count) = try r.readListHeader()
                guard elementType == .structure else { throw r.error("columns that are not a list of structs") }
                columnCount = count
                for index in 0..<count {
                    let chunk = try ParquetColumnChunk.decode(&r)
                    if wanted.contains(index) { found[index] = chunk }
                }
            case 3:
                try r.expect(type, .i64, field: "RowGroup.num_rows")
                g.numRows = try r.readI64()
                hasRows = true
            default:
                try r.skip(type)
            }
        }
        guard hasRows, g.numRows >= 0 else { throw ParquetFormatError("a row group without a valid row count") }
        guard columnCount == leafCount else {
            throw ParquetFormatError(
                "a row group of \(columnCount) column chunks where the schema has \(leafCount) columns")
        }
        for index in wanted {
            guard let chunk = found[index] else { throw ParquetFormatError("a column chunk is missing") }
            if chunk.encrypted {
                throw ParquetFormatError("the column is encrypted; aq-import reads unencrypted files")
            }
            if chunk.externalFile {
                throw ParquetFormatError("the column's data is in another file (file_path); aq-import reads one file")
            }
            g.chunks.append(chunk)
        }
        return g
    }
}

/// What the footer says about one column chunk.
struct ParquetColumnChunk: Sendable, Hashable {
    var type: ParquetPhysicalType = .byteArray
    var codec: Int32 = 0
    var numValues: Int64 = 0
    var totalCompressedSize: Int64 = 0
    var dataPageOffset: Int64 = 0
    var dictionaryPageOffset: Int64?
    var hasMetadata = false
    var encrypted = false
    var externalFile = false

    /// Where the chunk's first page starts. A dictionary offset of 0 (some writers set it for chunks
    /// without a dictionary) or one past the data pages is not a dictionary page's place.
    var startOffset: Int64 {
        if let dictionary = dictionaryPageOffset, dictionary > 0, dictionary < dataPageOffset { return dictionary }
        return dataPageOffset
    }

    static func decode(_ r: inout ThriftCompactReader) throws(ThriftError) -> ParquetColumnChunk {
        var c = ParquetColumnChunk()
        try r.readStruct { (r: inout ThriftCompactReader, id: Int16, type) throws(ThriftError) in
            switch id {
            case 1:
                try r.skip(type)
                c.externalFile = true
            case 3:
                try r.expect(type, .structure, field: "ColumnChunk.meta_data")
                try decodeMetadata(&r, into: &c)
                c.hasMetadata = true
            case 8, 9:
                try r.skip(type)
                c.encrypted = true
            default:
                try r.skip(type)
            }
        }
        guard c.hasMetadata || c.encrypted else { throw r.error("a column chunk without its metadata") }
        return c
    }

    private static func decodeMetadata(_ r: inout ThriftCompactReader, into c: inout ParquetColumnChunk)
        throws(ThriftError)
    {
        var seen = Set<Int16>()
        try r.readStruct { (r: inout ThriftCompactReader, id: Int16, type) throws(ThriftError) in
            seen.insert(id)
            switch id {
            case 1:
                try r.expect(type, .i32, field: "ColumnMetaData.type")
                let raw = try r.readI32()
                guard let physical = ParquetPhysicalType(rawValue: raw) else {
                    throw r.error("an unknown physical type \(raw)")
                }
                c.type = physical
            case 4:
                try r.expect(type, .i32, field: "ColumnMetaData.codec")
                c.codec = try r.readI32()
            case 5:
                try r.expect(type, .i64, field: "ColumnMetaData.num_values")
                c.numValues = try r.readI64()
            case 7:
                try r.expect(type, .i64, field: "ColumnMetaData.total_compressed_size")
                c.totalCompressedSize = try r.readI64()
            case 9:
                try r.expect(type, .i64, field: "ColumnMetaData.data_page_offset")
                c.dataPageOffset = try r.readI64()
            case 11:
                try r.expect(type, .i64, field: "ColumnMetaData.dictionary_page_offset")
                c.dictionaryPageOffset = try r.readI64()
            default:
                try r.skip(type)
            }
        }
        for required: Int16 in [1, 4, 5, 7, 9] where !seen.contains(required) {
            throw r.error("column metadata without its required field \(required)")
        }
    }
}
