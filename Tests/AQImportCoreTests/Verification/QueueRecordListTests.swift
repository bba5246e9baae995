import Foundation
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
        let back = Array(list)
        #expect(back[3].recordID.utf8.elementsEqual("caf\u{E9}".utf8))
        #expect(back[4].recordID.utf8.elementsEqual("cafe\u{301}".utf8))
        #expect(Array(QueueRecordList(records)) == records)
    }

    @Test(
        "record ids that share a prefix are kept front-coded, and come back whole, even split inside a UTF-8 sequence")
    func frontCodedRecordIDs() {
        let ids = (0..<1000).map { n in
            QueueRecord(
                recordID: Data("AnnotationQueueRecord:\(1_000_000 + n)".utf8).base64EncodedString(), kind: .span,
                sourceID: Array(String(format: "%016x", n).utf8))
        }
        // "é" and "è" share their first UTF-8 byte; the list cuts between the two bytes.
        let split = [
            QueueRecord(recordID: "ab\u{E9}", kind: .trace, sourceID: Array("t".utf8)),
            QueueRecord(recordID: "ab\u{E8}", kind: .trace, sourceID: Array("t".utf8)),
            QueueRecord(recordID: "a", kind: .trace, sourceID: Array("t".utf8)),
            QueueRecord(recordID: "ab\u{E8}z", kind: .trace, sourceID: nil),
        ]
        let list = QueueRecordList(ids + split)
        #expect(Array(list) == ids + split)
        #expect(Array(list).last!.recordID.utf8.elementsEqual("ab\u{E8}z".utf8))
        // The budget: a 16-hex span id with a record id like the double's costs at most 24 bytes.
        let perRecord = Double(QueueRecordList(ids).byteCount) / Double(ids.count)
        #expect(perRecord <= 24, "\(perRecord) bytes a record")
    }
}
