/// How a Parquet column's values become the text the record builder judges, chosen once per column
/// from its type, so that a Parquet file plans exactly what the same data as CSV plans: ids as their
/// text (UUIDs in canonical lowercase form, integers in decimal), times as the instant they stand for.
enum ParquetFieldConversion: Sendable, Hashable {
    /// BYTE_ARRAY (STRING or unannotated): the bytes themselves.
    case bytes
    /// FIXED_LEN_BYTE_ARRAY(16) with the UUID logical type: 8-4-4-4-12 lowercase hex.
    case uuid
    case int32(signed: Bool)
    case int64(signed: Bool)
    /// A number of `nanosPerUnit` since the epoch (TIMESTAMP, INT96, DATE are turned into this).
    case timestamp(nanosPerUnit: Int64)
    case int96
    case date
    /// An un-annotated DOUBLE epoch, written as Python writes a float, unit by magnitude as in CSV.
    case double

    /// The conversion of an id or scope column, or nil when its type cannot hold an id.
    static func forID(_ leaf: ParquetLeafColumn) -> ParquetFieldConversion? {
        switch (leaf.physicalType, leaf.element.logical) {
        case (.byteArray, nil), (.byteArray, .string?), (.byteArray, .other("enum")?), (.byteArray, .other("json")?):
            .bytes
        case (.fixedLenByteArray, .uuid?) where leaf.element.typeLength == 16:
            .uuid
        case (.int32, nil): .int32(signed: true)
        case (.int32, .integer(_, let signed)?): .int32(signed: signed)
        case (.int64, nil): .int64(signed: true)
        case (.int64, .integer(_, let signed)?): .int64(signed: signed)
        default: nil
        }
    }

    /// The conversion of a time column, or nil when its type cannot hold a time.
    static func forTime(_ leaf: ParquetLeafColumn) -> ParquetFieldConversion? {
        switch (leaf.physicalType, leaf.element.logical) {
        case (.int64, .timestamp(_, let unit)?): .timestamp(nanosPerUnit: unit.nanosecondsPerUnit)
        case (.int64, nil), (.int64, .integer?): .int64(signed: true)
        case (.int32, nil), (.int32, .integer?): .int32(signed: true)
        case (.int32, .date?): .date
        case (.int96, _): .int96
        case (.double, nil): .double
        case (.byteArray, nil), (.byteArray, .string?): .bytes
        default: nil
        }
    }

    private static let nanosPerDay: Int128 = 86_400 * 1_000_000_000
    /// The Julian day of 1970-01-01, from which INT96 timestamps count.
    private static let unixEpochJulianDay: Int128 = 2_440_588
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The value as the builder reads it, its bytes in `value` or `scratch` (64 bytes at least): no
    /// closure, so that the row loop stays flat.
    @inline(__always)
    func field(_ value: UnsafeRawBufferPointer, scratch: UnsafeMutableRawBufferPointer) -> FieldValue {
        switch self {
        case .bytes:
            return .text(value)
        case .timestamp(let unit):
            let raw = Int64(bitPattern: value.loadUnaligned(as: UInt64.self).littleEndian)
            let (nanos, overflow) = raw.multipliedReportingOverflow(by: unit)
            if !overflow { return .instant(nanos) }
        default:
            break
        }
        return withField(value, scratch: scratch) { field in
            // Text made in a String (RFC 3339, a double) is copied into scratch to outlive it.
            switch field {
            case .text(let bytes), .number(let bytes):
                guard let base = bytes.baseAddress, let start = scratch.baseAddress,
                    base < UnsafeRawPointer(start) || base >= UnsafeRawPointer(start + scratch.count)
                else { return field }
                let n = min(bytes.count, scratch.count)
                scratch.baseAddress!.copyMemory(from: base, byteCount: n)
                let copied = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(scratch)[0..<n])
                if case .text = field { return .text(copied) }
                return .number(copied)
            default:
                return field
            }
        }
    }

    /// Hands `body` the value as the builder reads it. `scratch` holds text made here (64 bytes at
    /// least).
    @inline(__always)
    func withField<R>(
        _ value: UnsafeRawBufferPointer, scratch: UnsafeMutableRawBufferPointer, _ body: (FieldValue) -> R
    ) -> R {
        switch self {
        case .bytes:
            return body(.text(value))
        case .uuid:
            var n = 0
            for k in 0..<16 {
                if k == 4 || k == 6 || k == 8 || k == 10 {
                    scratch[n] = UInt8(ascii: "-")
                    n += 1
                }
                scratch[n] = Self.hexDigits[Int(value[k] >> 4)]
                scratch[n + 1] = Self.hexDigits[Int(value[k] & 0x0F)]
                n += 2
            }
            return body(.text(UnsafeRawBufferPointer(rebasing: scratch[0..<n])))
        case .int32(let signed):
            let raw = value.loadUnaligned(as: UInt32.self).littleEndian
            let number: Int128 = signed ? Int128(Int32(bitPattern: raw)) : Int128(raw)
            return body(.number(Self.decimal(number, into: scratch)))
        case .int64(let signed):
            let raw = value.loadUnaligned(as: UInt64.self).littleEndian
            let number: Int128 = signed ? Int128(Int64(bitPattern: raw)) : Int128(raw)
            return body(.number(Self.decimal(number, into: scratch)))
        case .timestamp(let unit):
            let raw = Int64(bitPattern: value.loadUnaligned(as: UInt64.self).littleEndian)
            return Self.instant(Int128(raw) * Int128(unit), scratch: scratch, body)
        case .int96:
            let nanos = Int64(bitPattern: value.loadUnaligned(as: UInt64.self).littleEndian)
            let day = Int32(bitPattern: value.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian)
            return Self.instant(
                (Int128(day) - Self.unixEpochJulianDay) * Self.nanosPerDay + Int128(nanos), scratch: scratch, body)
        case .date:
            let days = Int32(bitPattern: value.loadUnaligned(as: UInt32.self).littleEndian)
            return Self.instant(Int128(days) * Self.nanosPerDay, scratch: scratch, body)
        case .double:
            let number = Double(bitPattern: value.loadUnaligned(as: UInt64.self).littleEndian)
            var text = number.description
            return text.withUTF8 { body(.number(UnsafeRawBufferPointer($0))) }
        }
    }

    /// An instant in nanoseconds, as text the timestamp parser reads back to the same instant (and
    /// judges by the same range rules as every other input): epoch nanoseconds when they are at least
    /// 1e17 (the parser's nanosecond range), else RFC 3339; past Int64, digits it refuses as out of range.
    @inline(__always)
    private static func instant<R>(
        _ nanos: Int128, scratch: UnsafeMutableRawBufferPointer, _ body: (FieldValue) -> R
    ) -> R {
        if nanos >= 100_000_000_000_000_000 || nanos > Int128(Int64.max) || nanos < Int128(Int64.min) {
            return body(.number(decimal(nanos, into: scratch)))
        }
        var text = Timestamp(nanosecondsSinceEpoch: Int64(nanos)).rfc3339
        return text.withUTF8 { body(.text(UnsafeRawBufferPointer($0))) }
    }

    /// Writes `value` in decimal at the start of `scratch` (which holds at least 41 bytes).
    @inline(__always)
    static func decimal(_ value: Int128, into scratch: UnsafeMutableRawBufferPointer) -> UnsafeRawBufferPointer {
        var digits = 0
        var rest = value.magnitude
        var reversed: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &reversed) { tmp in
            // 64-bit division for the usual values: Int128's is several times slower.
            while rest > UInt128(UInt64.max) {
                tmp[digits] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                digits += 1
            }
            var small = UInt64(rest)
            repeat {
                tmp[digits] = UInt8(ascii: "0") + UInt8(small % 10)
                small /= 10
                digits += 1
            } while small > 0
            var n = 0
            if value < 0 {
                scratch[0] = UInt8(ascii: "-")
                n = 1
            }
            for k in stride(from: digits - 1, through: 0, by: -1) {
                scratch[n] = tmp[k]
                n += 1
            }
            digits = n
        }
        return UnsafeRawBufferPointer(rebasing: scratch[0..<digits])
    }
}
