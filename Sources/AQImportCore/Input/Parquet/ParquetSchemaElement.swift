/// Parquet's physical types (`Type` in parquet.thrift).
enum ParquetPhysicalType: Int32, Sendable, Hashable {
    case boolean = 0
    case int32 = 1
    case int64 = 2
    case int96 = 3
    case float = 4
    case double = 5
    case byteArray = 6
    case fixedLenByteArray = 7

    var name: String {
        switch self {
        case .boolean: "BOOLEAN"
        case .int32: "INT32"
        case .int64: "INT64"
        case .int96: "INT96"
        case .float: "FLOAT"
        case .double: "DOUBLE"
        case .byteArray: "BYTE_ARRAY"
        case .fixedLenByteArray: "FIXED_LEN_BYTE_ARRAY"
        }
    }

    /// Bytes a value takes in PLAIN encoding; nil for BYTE_ARRAY (length-prefixed) and BOOLEAN (bits).
    func fixedWidth(typeLength: Int) -> Int? {
        switch self {
        case .int32, .float: 4
        case .int64, .double: 8
        case .int96: 12
        case .fixedLenByteArray: typeLength
        case .byteArray, .boolean: nil
        }
    }
}

enum ParquetTimeUnit: Sendable, Hashable {
    case millis, micros, nanos

    var nanosecondsPerUnit: Int64 {
        switch self {
        case .millis: 1_000_000
        case .micros: 1_000
        case .nanos: 1
        }
    }
}

/// The annotations aq-import tells apart (`LogicalType`, and the older `ConvertedType`).
enum ParquetLogicalType: Sendable, Hashable {
    case string
    case uuid
    case date
    case timestamp(utc: Bool, unit: ParquetTimeUnit)
    case integer(bits: Int, signed: Bool)
    case decimal
    case list
    case map
    case other(String)

    var name: String {
        switch self {
        case .string: "string"
        case .uuid: "uuid"
        case .date: "date"
        case .timestamp(let utc, let unit):
            "timestamp[\(unit == .millis ? "ms" : unit == .micros ? "us" : "ns")\(utc ? ", UTC" : "")]"
        case .integer(let bits, let signed): "\(signed ? "int" : "uint")\(bits)"
        case .decimal: "decimal"
        case .list: "list"
        case .map: "map"
        case .other(let name): name
        }
    }
}

enum ParquetRepetition: Int32, Sendable, Hashable {
    case required = 0
    case optional = 1
    case repeated = 2
}

/// One node of the schema as the footer lists it (depth first).
struct ParquetSchemaElement: Sendable, Hashable {
    var name = ""
    var type: ParquetPhysicalType?
    var typeLength = 0
    var repetition: ParquetRepetition?
    var numChildren = 0
    var logical: ParquetLogicalType?

    static func decode(_ r: inout ThriftCompactReader) throws(ThriftError) -> ParquetSchemaElement {
        var e = ParquetSchemaElement()
        var hasName = false
        var converted: ParquetLogicalType?
        try r.readStruct { (r: inout ThriftCompactReader, id: Int16, type) throws(ThriftError) in
            switch id {
            case 1:
                try r.expect(type, .i32, field: "SchemaElement.type")
                let raw = try r.readI32()
                guard let physical = ParquetPhysicalType(rawValue: raw) else {
                    throw r.error("an unknown physical type \(raw)")
                }
                e.type = physical
            case 2:
                try r.expect(type, .i32, field: "SchemaElement.type_length")
                e.typeLength = Int(try r.readI32())
            case 3:
                try r.expect(type, .i32, field: "SchemaElement.repetition_type")
                let raw = try r.readI32()
                guard let repetition = ParquetRepetition(rawValue: raw) else {
                    throw r.error("an unsupported repetition type \(raw)")
                }
                e.repetition = repetition
            case 4:
                try r.expect(type, .binary, field: "SchemaElement.name")
                e.name = try r.readString()
                hasName = true
            case 5:
                try r.expect(type, .i32, field: "SchemaElement.num_children")
                let n = try r.readI32()
                guard n >= 0 else { throw r.error("a negative number of children") }
                e.numChildren = Int(n)
            case 6:
                try r.expect(type, .i32, field: "SchemaElement.converted_type")
                converted = convertedType(try r.readI32())
            case 10:
                try r.expect(type, .structure, field: "SchemaElement.logicalType")
                e.logical = try decodeLogical(&r)
            default:
                try r.skip(type)
            }
        }
        guard hasName else { throw r.error("a schema element without a name") }
        if e.logical == nil { e.logical = converted }
        return e
    }

    private static func convertedType(_ raw: Int32) -> ParquetLogicalType? {
        switch raw {
        case 0: .string
        case 1, 2: .map
        case 3: .list
        case 4: .other("enum")
        case 5: .decimal
        case 6: .date
        case 7: .other("time_ms")
        case 8: .other("time_us")
        case 9: .timestamp(utc: true, unit: .millis)
        case 10: .timestamp(utc: true, unit: .micros)
        case 11: .integer(bits: 8, signed: false)
        case 12: .integer(bits: 16, signed: false)
        case 13: .integer(bits: 32, signed: false)
        case 14: .integer(bits: 64, signed: false)
        case 15: .integer(bits: 8, signed: true)
        case 16: .integer(bits: 16, signed: true)
        case 17: .integer(bits: 32, signed: true)
        case 18: .integer(bits: 64, signed: true)
        case 19: .other("json")
        case 20: .other("bson")
        case 21: .other("interval")
        default: .other("converted type \(raw)")
        }
    }

    /// The `LogicalType` union: one field, whose id says which annotation it is.
    private static func decodeLogical(_ r: inout ThriftCompactReader) throws(ThriftError) -> ParquetLogicalType? {
        var result: ParquetLogicalType?
        try r.readStruct { (r: inout ThriftCompactReader, id: Int16, type) throws(ThriftError) in
            switch id {
            case 1: result = .string
            case 2: result = .map
            case 3: result = .list
            case 4: result = .other("enum")
            case 5: result = .decimal
            case 6: result = .date
            case 7: result = .other("time")
            case 8:
                try r.expect(type, .structure, field: "LogicalType.TIMESTAMP")
                var utc = false
                var unit: ParquetTimeUnit?
                try r.readStruct { (r: inout ThriftCompactReader, id: Int16, type) throws(ThriftError) in
                    switch id {
                    case 1:
                        try r.expect(type, .boolTrue, field: "TimestampType.isAdjustedToUTC")
                        utc = try r.readBool()
                    case 2:
                        try r.expect(type, .structure, field: "TimestampType.unit")
                        try r.readStruct { (r: inout ThriftCompactReader, id: Int16, type) throws(ThriftError) in
                            switch id {
                            case 1: unit = .millis
                            case 2: unit = .micros
                            case 3: unit = .nanos
                            default: break
                            }
                            try r.skip(type)
                        }
                    default:
                        try r.skip(type)
                    }
                }
                guard let unit else { throw r.error("a timestamp without a unit") }
                result = .timestamp(utc: utc, unit: unit)
                return
            case 10:
                try r.expect(type, .structure, field: "LogicalType.INTEGER")
                var bits = 0
                var signed = true
                try r.readStruct { (r: inout ThriftCompactReader, id: Int16, type) throws(ThriftError) in
                    switch id {
                    case 1:
                        try r.expect(type, .byte, field: "IntType.bitWidth")
                        bits = Int(try r.readByte())
                    case 2:
                        try r.expect(type, .boolTrue, field: "IntType.isSigned")
                        signed = try r.readBool()
                    default: try r.skip(type)
                    }
                }
                result = .integer(bits: bits, signed: signed)
                return
            case 11: result = .other("null")
            case 12: result = .other("json")
            case 13: result = .other("bson")
            case 14: result = .uuid
            case 15: result = .other("float16")
            default: result = .other("logical type \(id)")
            }
            try r.skip(type)
        }
        return result
    }

    /// How a leaf's type reads in messages: `string`, `INT64`, `timestamp[ns, UTC]`.
    var typeDescription: String {
        if let logical { return logical.name }
        return type?.name ?? "group"
    }
}
