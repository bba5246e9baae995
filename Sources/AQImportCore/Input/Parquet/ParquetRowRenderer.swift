/// Writes one Parquet value as JSON, for a rejected row's NDJSON object: text as strings, integers and
/// floats as numbers, timestamps and dates as RFC 3339 text (which aq-import reads back), UUIDs in
/// canonical form, other binary as hex text, nulls (and non-finite floats) as `null`.
enum ParquetRowRenderer {
    static func appendJSON(_ value: UnsafeRawBufferPointer?, leaf: ParquetLeafColumn, to out: inout [UInt8]) {
        guard let value else {
            out.append(contentsOf: "null".utf8)
            return
        }
        let logical = leaf.element.logical
        switch leaf.physicalType {
        case .boolean:
            out.append(contentsOf: (value[0] != 0 ? "true" : "false").utf8)
        case .int32, .int64:
            if logical == .date || logical.map({ if case .timestamp = $0 { true } else { false } }) == true {
                appendTime(value, leaf: leaf, to: &out)
                return
            }
            let number: Int128
            let unsigned = logical.map { if case .integer(_, false) = $0 { true } else { false } } ?? false
            if leaf.physicalType == .int32 {
                let raw = value.loadUnaligned(as: UInt32.self).littleEndian
                number = unsigned ? Int128(raw) : Int128(Int32(bitPattern: raw))
            } else {
                let raw = value.loadUnaligned(as: UInt64.self).littleEndian
                number = unsigned ? Int128(raw) : Int128(Int64(bitPattern: raw))
            }
            out.append(contentsOf: String(number).utf8)
        case .int96:
            appendTime(value, leaf: leaf, to: &out)
        case .float, .double:
            let number =
                leaf.physicalType == .float
                ? Double(Float(bitPattern: value.loadUnaligned(as: UInt32.self).littleEndian))
                : Double(bitPattern: value.loadUnaligned(as: UInt64.self).littleEndian)
            out.append(contentsOf: (number.isFinite ? number.description : "null").utf8)
        case .byteArray:
            if logical == .decimal {
                out.append(contentsOf: "null".utf8)
            } else if let text = String(validating: value, as: UTF8.self) {
                RequestBody.appendJSONString(text, to: &out)
            } else {
                RequestBody.appendJSONString(Hex.encode(Array(value)), to: &out)
            }
        case .fixedLenByteArray:
            if logical == .uuid, let conversion = ParquetFieldConversion.forID(leaf) {
                appendConverted(value, conversion, to: &out)
            } else if logical == .decimal {
                out.append(contentsOf: "null".utf8)
            } else {
                RequestBody.appendJSONString(Hex.encode(Array(value)), to: &out)
            }
        }
    }

    private static func appendTime(_ value: UnsafeRawBufferPointer, leaf: ParquetLeafColumn, to out: inout [UInt8]) {
        guard let conversion = ParquetFieldConversion.forTime(leaf) else {
            out.append(contentsOf: "null".utf8)
            return
        }
        appendConverted(value, conversion, to: &out)
    }

    /// The value as the record builder would see it: text as a string, numbers as RFC 3339 when they
    /// are an instant's nanoseconds (so that the row reads back to the same time).
    private static func appendConverted(
        _ value: UnsafeRawBufferPointer, _ conversion: ParquetFieldConversion, to out: inout [UInt8]
    ) {
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 8)
        defer { scratch.deallocate() }
        let text: String = conversion.withField(value, scratch: scratch) { field in
            switch field {
            case .text(let bytes), .number(let bytes): String(decoding: bytes, as: UTF8.self)
            default: ""
            }
        }
        if case .uuid = conversion {
            RequestBody.appendJSONString(text, to: &out)
            return
        }
        if case .valid(let t) = TimestampParser.parse(text) {
            RequestBody.appendJSONString(t.rfc3339, to: &out)
        } else {
            RequestBody.appendJSONString(text, to: &out)
        }
    }
}
