/// A malformed Thrift structure: where in the buffer, and what was expected there.
struct ThriftError: Error, Hashable, Sendable {
    var offset: Int
    var message: String
}

/// Reads the Thrift compact protocol from a byte buffer: pure, bounds-checked, and with a limit on
/// nesting so that a hostile footer can neither read past its bytes nor recurse without end.
///
/// Field types follow the compact protocol's numbering (1 true, 2 false, 3 byte, 4 i16, 5 i32,
/// 6 i64, 7 double, 8 binary, 9 list, 10 set, 11 map, 12 struct).
struct ThriftCompactReader {
    enum FieldType: UInt8 {
        case stop = 0
        case boolTrue = 1
        case boolFalse = 2
        case byte = 3
        case i16 = 4
        case i32 = 5
        case i64 = 6
        case double = 7
        case binary = 8
        case list = 9
        case set = 10
        case map = 11
        case structure = 12
    }

    /// Structs nested deeper than this are refused (Parquet's own metadata is at most 6 deep).
    static let maxDepth = 64

    let bytes: UnsafeRawBufferPointer
    private(set) var position: Int
    private var depth = 0
    /// The last field id of each open struct, for the compact protocol's id deltas.
    private var lastFieldIDs: [Int16] = []
    /// The value of a bool field, which the compact protocol keeps in its field header.
    private var pendingBool: Bool?

    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var remaining: Int { bytes.count - position }

    func error(_ message: String) -> ThriftError {
        ThriftError(offset: position, message: message)
    }

    mutating func readByte() throws(ThriftError) -> UInt8 {
        guard position < bytes.count else { throw error("the structure ends early") }
        let b = bytes[position]
        position += 1
        return b
    }

    mutating func readVarint() throws(ThriftError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try readByte()
            if shift == 63 && b > 1 { throw error("a varint longer than 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw error("a varint longer than 64 bits") }
        }
    }

    mutating func readI64() throws(ThriftError) -> Int64 {
        let v = try readVarint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    mutating func readI32() throws(ThriftError) -> Int32 {
        let v = try readI64()
        guard let narrow = Int32(exactly: v) else { throw error("an i32 out of range (\(v))") }
        return narrow
    }

    mutating func readI16() throws(ThriftError) -> Int16 {
        let v = try readI64()
        guard let narrow = Int16(exactly: v) else { throw error("an i16 out of range (\(v))") }
        return narrow
    }

    mutating func readDouble() throws(ThriftError) -> Double {
        guard remaining >= 8 else { throw error("the structure ends early") }
        var bits: UInt64 = 0
        for k in 0..<8 { bits |= UInt64(bytes[position + k]) << (8 * UInt64(k)) }
        position += 8
        return Double(bitPattern: bits)
    }

    /// A length-prefixed binary value, as a range of the buffer: nothing is allocated.
    mutating func readBinaryRange() throws(ThriftError) -> Range<Int> {
        let length = try readVarint()
        guard length <= UInt64(remaining) else {
            throw error("a string of \(length) bytes where \(remaining) remain")
        }
        let start = position
        position += Int(length)
        return start..<position
    }

    mutating func readString() throws(ThriftError) -> String {
        let range = try readBinaryRange()
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    mutating func readBinary() throws(ThriftError) -> [UInt8] {
        Array(UnsafeRawBufferPointer(rebasing: bytes[try readBinaryRange()]))
    }

    /// The value of a bool field just announced by `readFieldHeader`, or a bool list element.
    mutating func readBool() throws(ThriftError) -> Bool {
        if let value = pendingBool {
            pendingBool = nil
            return value
        }
        let b = try readByte()
        switch b {
        case 1: return true
        case 0, 2: return false
        default: throw error("a bool of value \(b)")
        }
    }

    mutating func beginStruct() throws(ThriftError) {
        guard depth < Self.maxDepth else { throw error("structures nested deeper than \(Self.maxDepth)") }
        depth += 1
        lastFieldIDs.append(0)
    }

    mutating func endStruct() {
        depth -= 1
        lastFieldIDs.removeLast()
    }

    /// The next field's id and type, or nil at the struct's end.
    mutating func readFieldHeader() throws(ThriftError) -> (id: Int16, type: FieldType)? {
        let b = try readByte()
        guard let type = FieldType(rawValue: b & 0x0F) else { throw error("a field of unknown type \(b & 0x0F)") }
        if type == .stop {
            guard b == 0 else { throw error("a malformed stop field") }
            return nil
        }
        let delta = Int16(b >> 4)
        let id: Int16
        if delta == 0 {
            id = try readI16()
        } else {
            let (sum, overflow) = lastFieldIDs[lastFieldIDs.count - 1].addingReportingOverflow(delta)
            guard !overflow else { throw error("a field id out of range") }
            id = sum
        }
        lastFieldIDs[lastFieldIDs.count - 1] = id
        switch type {
        case .boolTrue: pendingBool = true
        case .boolFalse: pendingBool = false
        default: pendingBool = nil
        }
        return (id, type)
    }

    /// A list's (or set's) element type and count; the count is checked against the bytes left, at
    /// least one byte an element (bool elements included), before anyone reserves room for it.
    mutating func readListHeader() throws(ThriftError) -> (type: FieldType, count: Int) {
        let b = try readByte()
        guard let type = FieldType(rawValue: b & 0x0F), type != .stop else {
            throw error("a list of unknown element type \(b & 0x0F)")
        }
        var count = UInt64(b >> 4)
        if count == 15 { count = try readVarint() }
        let minimum = type == .double ? 8 : 1
        guard count <= UInt64(remaining / minimum) else {
            throw error("a list of \(count) elements where \(remaining) bytes remain")
        }
        return (type, Int(count))
    }

    /// Reads a list of elements with `element`, checking their declared type.
    mutating func readList<T>(
        of expected: FieldType, _ element: (inout ThriftCompactReader) throws(ThriftError) -> T
    ) throws(ThriftError) -> [T] {
        let (type, count) = try readListHeader()
        let compatible = type == expected || (expected == .boolTrue && type == .boolFalse)
        guard compatible else { throw error("a list of type \(type) where \(expected) was expected") }
        var out: [T] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try element(&self)) }
        return out
    }

    /// Skips a value of `type` (unknown fields, or fields aq-import has no use for).
    mutating func skip(_ type: FieldType) throws(ThriftError) {
        switch type {
        case .stop: throw error("a stop where a value was expected")
        case .boolTrue, .boolFalse:
            if pendingBool != nil { pendingBool = nil } else { _ = try readBool() }
        case .byte: _ = try readByte()
        case .i16, .i32, .i64: _ = try readVarint()
        case .double:
            guard remaining >= 8 else { throw error("the structure ends early") }
            position += 8
        case .binary: _ = try readBinaryRange()
        case .list, .set:
            let (elementType, count) = try readListHeader()
            try nested { (r: inout ThriftCompactReader) throws(ThriftError) in
                for _ in 0..<count {
                    if elementType == .boolTrue || elementType == .boolFalse {
                        _ = try r.readByte()
                    } else {
                        try r.skip(elementType)
                    }
                }
            }
        case .map:
            let count = try readVarint()
            guard count <= UInt64(remaining) else {
                throw error("a map of \(count) entries where \(remaining) bytes remain")
            }
            if count == 0 { return }
            let kinds = try readByte()
            guard let key = FieldType(rawValue: kinds >> 4), let value = FieldType(rawValue: kinds & 0x0F),
                key != .stop, value != .stop
            else { throw error("a map of unknown types") }
            try nested { (r: inout ThriftCompactReader) throws(ThriftError) in
                for _ in 0..<count {
                    try r.skipElement(key)
                    try r.skipElement(value)
                }
            }
        case .structure:
            try beginStruct()
            while let (_, fieldType) = try readFieldHeader() { try skip(fieldType) }
            endStruct()
        }
    }

    private mutating func skipElement(_ type: FieldType) throws(ThriftError) {
        if type == .boolTrue || type == .boolFalse { _ = try readByte() } else { try skip(type) }
    }

    /// Counts a container as a level of nesting, so that lists of lists cannot recurse without end.
    private mutating func nested(_ body: (inout ThriftCompactReader) throws(ThriftError) -> Void) throws(ThriftError) {
        guard depth < Self.maxDepth else { throw error("structures nested deeper than \(Self.maxDepth)") }
        depth += 1
        defer { depth -= 1 }
        try body(&self)
    }

    /// Reads a struct, handing each field to `field`; the handler must consume the value (or call
    /// `skip`). Returns when the struct's stop field is read.
    mutating func readStruct(
        _ field: (inout ThriftCompactReader, Int16, FieldType) throws(ThriftError) -> Void
    ) throws(ThriftError) {
        try beginStruct()
        while let (id, type) = try readFieldHeader() {
            try field(&self, id, type)
        }
        endStruct()
    }

    /// Checks that a field has the type its schema gives it (bools come as either bool type).
    func expect(_ type: FieldType, _ wanted: FieldType, field: String) throws(ThriftError) {
        let ok =
            type == wanted || (wanted == .boolTrue && type == .boolFalse)
            || (wanted == .set && type == .list) || (wanted == .list && type == .set)
        guard ok else { throw error("field \(field) has type \(type), expected \(wanted)") }
    }
}
