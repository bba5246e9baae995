import CZlib

@testable import AQImportCore

/// Writes the Thrift compact protocol, for building Parquet files by hand in tests.
struct ThriftWriter {
    var bytes: [UInt8] = []
    private var lastIDs: [Int16] = [0]

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func zigzag(_ value: Int64) { varint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    mutating func field(_ id: Int16, _ type: UInt8) {
        let delta = id - lastIDs[lastIDs.count - 1]
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type)
        } else {
            bytes.append(type)
            zigzag(Int64(id))
        }
        lastIDs[lastIDs.count - 1] = id
    }

    mutating func i32(_ id: Int16, _ value: Int32) {
        field(id, 5)
        zigzag(Int64(value))
    }

    mutating func i64(_ id: Int16, _ value: Int64) {
        field(id, 6)
        zigzag(value)
    }

    mutating func string(_ id: Int16, _ value: String) {
        field(id, 8)
        varint(UInt64(value.utf8.count))
        bytes += Array(value.utf8)
    }

    mutating func beginStruct(_ id: Int16) {
        field(id, 12)
        lastIDs.append(0)
    }

    /// A struct as a list element (no field header).
    mutating func beginElement() { lastIDs.append(0) }

    mutating func endStruct() {
        bytes.append(0)
        lastIDs.removeLast()
    }

    mutating func list(_ id: Int16, elementType: UInt8, count: Int) {
        field(id, 9)
        if count < 15 {
            bytes.append(UInt8(count) << 4 | elementType)
        } else {
            bytes.append(0xF0 | elementType)
            varint(UInt64(count))
        }
    }
}

/// A one-column Parquet file (`span_id`, BYTE_ARRAY) built by hand, with every field a test may
/// want to lie in.
struct MiniParquet {
    struct Page {
        var type: Int32 = 0
        var numValues: Int32
        var encoding: Int32 = 0
        var body: [UInt8]
        var uncompressedSize: Int32?
        var crc: UInt32?
    }

    var pages: [Page]
    var codec: Int32 = 0
    var rows: Int64
    var chunkValues: Int64?
    var optional = false
    /// Written as the chunk's dictionary_page_offset when set (writers put 0 for "none").
    var dictionaryOffset: Int64?
    /// Gives the column chunk crypto metadata (encrypted with the footer key).
    var encryptedColumn = false

    /// PLAIN byte arrays: a 4-byte length before each.
    static func plain(_ values: [String]) -> [UInt8] {
        var out: [UInt8] = []
        for v in values {
            let n = UInt32(v.utf8.count)
            out += [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)]
            out += Array(v.utf8)
        }
        return out
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        UInt32(bytes.withUnsafeBufferPointer { CZlib.crc32(0, $0.baseAddress, uInt($0.count)) })
    }

    var bytes: [UInt8] {
        var file = Array("PAR1".utf8)
        let dataStart = file.count
        for page in pages {
            var h = ThriftWriter()
            h.i32(1, page.type)
            h.i32(2, page.uncompressedSize ?? Int32(page.body.count))
            h.i32(3, Int32(page.body.count))
            if let crc = page.crc { h.i32(4, Int32(bitPattern: crc)) }
            if page.type == 1 {
                // INDEX_PAGE: an empty index_page_header (the format defines no fields for it yet).
                h.beginStruct(6)
                h.endStruct()
            } else if page.type == 2 {
                h.beginStruct(7)
                h.i32(1, page.numValues)
                h.i32(2, page.encoding)
                h.endStruct()
            } else {
                h.beginStruct(5)
                h.i32(1, page.numValues)
                h.i32(2, page.encoding)
                h.i32(3, 3)
                h.i32(4, 3)
                h.endStruct()
            }
            h.endStruct()
            file += h.bytes + page.body
        }
        let chunkSize = Int64(file.count - dataStart)
        var m = ThriftWriter()
        m.i32(1, 1)
        m.list(2, elementType: 12, count: 2)
        m.beginElement()
        m.string(4, "schema")
        m.i32(5, 1)
        m.endStruct()
        m.beginElement()
        m.i32(1, 6)
        m.i32(3, optional ? 1 : 0)
        m.string(4, "span_id")
        m.endStruct()
        m.i64(3, rows)
        m.list(4, elementType: 12, count: 1)
        m.beginElement()
        m.list(1, elementType: 12, count: 1)
        m.beginElement()
        m.i64(2, 0)
        m.beginStruct(3)
        m.i32(1, 6)
        m.list(2, elementType: 5, count: 1)
        m.zigzag(0)
        m.list(3, elementType: 8, count: 1)
        m.varint(7)
        m.bytes += Array("span_id".utf8)
        m.i32(4, codec)
        m.i64(5, chunkValues ?? rows)
        m.i64(6, chunkSize)
        m.i64(7, chunkSize)
        m.i64(9, Int64(dataStart))
        if let dictionaryOffset { m.i64(11, dictionaryOffset) }
        m.endStruct()
        if encryptedColumn {
            m.beginStruct(8)
            m.beginStruct(1)
            m.endStruct()
            m.endStruct()
        }
        m.endStruct()
        m.i64(2, chunkSize)
        m.i64(3, rows)
        m.endStruct()
        m.endStruct()
        let n = UInt32(m.bytes.count)
        file += m.bytes
        file += [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)]
        file += Array("PAR1".utf8)
        return file
    }
}
