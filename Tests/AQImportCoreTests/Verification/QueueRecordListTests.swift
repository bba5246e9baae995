import Testing

@testable import AQImportCore

@Suite struct QueueRecordListTests {
    @Test("records read back exactly as added, in order: no kind, no source id, empty and non-ASCII ids, long ids")
    func roundTrip() {
        let records = [
            QueueRecord(recordID: "UmVjb3JkOjE=", kind: .span, sourceID: Array("00000000000000a0".utf8)),
            QueueRecord(recordID: "r2", kind: nil, sourceID: nil),
            QueueRecord(recordID: "", kind: .example, sourceID: []),
            // NFC and NFD spellings stay apart: bytes, not canonical equivalence.
            QueueRecord(recordID: "caf\u{E9}", kind: .session, sourceID: Array("caf\u{E9}".utf8)),
            QueueRecord(recordID: "cafe\u{301}", kind: .trace, sourceID: Array("cafe\u{301}".utf8)),
            QueueRecord(recordID: "long", kind: .span, sourceID: [UInt8](repeating: 0x61, count: 40_000)),
            QueueRecord(recordID: "after", kind: .span, sourceID: [0xFF, 0x00]),
            // 16 hex digits are kept as 8 bytes, and only when lowercase: the bytes come back as they were.
            QueueRecord(recordID: "hex", kind: .span, sourceID: Array("ffffffffffffffff".utf8)),
            QueueRecord(recordID: "hex0", kind: .trace, sourceID: Array("0000000000000000".utf8)),
            QueueRecord(recordID: "upper", kind: .span, sourceID: Array("00000000000000AB".utf8)),
            QueueRecord(recordID: "short", kind: .span, sourceID: Array("00000000000000a".utf8)),
        ]
        var list = QueueRecordList()
        list.append(contentsOf: records.prefix(3))
        list.append(contentsOf: records.dropFirst(3))
        #expect(list.count == records.count)
        #expect(Array(list) == records)
        #expect(list[3].recordID.utf8.elementsEqual("caf\u{E9}".utf8))
        #expect(list[4].recordID.utf8.elementsEqual("cafe\u{301}".utf8))
        #expect(Array(QueueRecordList(records)) == records)
    }
}
