import Foundation
import Testing

@testable import AQImportCore

@Suite("Queue record page scanner")
struct QueueRecordPageScannerTests {
    /// What the JSONDecoder reading (`RemotePage` of `QueueRecord`) makes of a page, or nil when it fails.
    private static func decoded(_ body: String, itemsKey: String = "records") -> (
        records: [QueueRecord], nextCursor: String?
    )? {
        let decoder = JSONDecoder()
        decoder.userInfo[RemotePage<QueueRecord>.itemsKey] = itemsKey
        guard let page = try? decoder.decode(RemotePage<QueueRecord>.self, from: Data(body.utf8)) else { return nil }
        return (page.items, page.nextCursor)
    }

    private static func scanned(_ body: String, itemsKey: String = "records") -> (
        records: [QueueRecord], nextCursor: String?
    )? {
        QueueRecordPageScanner.scan(Array(body.utf8), itemsKey: itemsKey)
    }

    /// A record as the double writes one (`StoredRecord.json`), with `data` given.
    private static func record(_ id: String, _ head: String, data: String) -> String {
        #"{"id": "\#(id)", "annotation_queue_id": "q", \#(head) "data": \#(data), "annotations": [], "#
            + #""trace_annotations": [], "evaluations": [{"name": "x", "label": "y"}], "assigned_users": []}"#
    }

    static let pages: [String] = [
        #"{"records": [], "pagination": {"has_more": false}}"#,
        "{\"records\": ["
            + [
                record(
                    "r1", #""source_type": "SPANS", "granularity": "SPAN","#,
                    data: #"{"context.span_id": "00000000000000a1", "start_time": "1768435203658"}"#),
                record(
                    "r2", #""source_type": "SPANS", "granularity": "TRACE","#,
                    data: #"{"context.trace_id": "t\"2\u00e9"}"#),
                record(
                    "r3", #""source_type": "SPANS", "granularity": "SESSION","#,
                    data: #"{"attributes.session.id": "sess 3 🎉"}"#),
                record("r4", #""source_type": "DATASET","#, data: #"{"id": "ex-4", "input": {"q": [1, 2.5e3, null]}}"#),
                record("r5", #""source_type": "SPANS", "granularity": "SPAN","#, data: #"{}"#),
                record("r6", #""source_type": "SPANS","#, data: #"{"context.trace_id": "t6", "context.span_id": ""}"#),
                record("r7", #""granularity": "UNKNOWN","#, data: #""not an object""#),
                record("r8", #""granularity": "SPAN","#, data: #"{"context.span_id": 42}"#),
            ].joined(separator: ",\n ")
            + #"], "pagination": {"has_more": true, "next_cursor": "Y3Vyc29yOjUwMA=="}}"#,
        #"{"pagination": {"has_more": true, "next_cursor": ""}, "records": [{"id": 7, "data": null}]}"#,
        #"{"records": [{"granularity": "SPAN", "data": {"context.span_id": "a"}}], "total": 3, "ratio": -2.5e-3, "#
            + #""flag": true, "gone": null, "meta": {"a": [1, {"b": 2}], "s": "x\"}"}, "pagination": null}"#,
        #"{"records": [{"id": "r", "granularity": "SPAN", "data": {"context.span_id": "s"}}]}"#,
        #"  {"record_sources": [{"id": "c1", "granularity": "SPAN", "data": {"context.span_id": "s1"}}]}  "#,
    ]

    @Test("every page reads as the decoder reads it: records, kinds, source ids and cursor")
    func sameAsTheDecoder() throws {
        for (n, page) in Self.pages.enumerated() {
            let key = page.contains("record_sources") ? "record_sources" : "records"
            let expected = try #require(Self.decoded(page, itemsKey: key), "page \(n) decodes")
            let scanned = try #require(Self.scanned(page, itemsKey: key), "page \(n) scans")
            #expect(scanned.records == expected.records, "page \(n)")
            #expect(scanned.nextCursor == expected.nextCursor, "page \(n)")
        }
        let second = try #require(Self.scanned(Self.pages[1]))
        #expect(second.records.count == 8)
        #expect(second.records[1].sourceID == Array("t\"2é".utf8))
        #expect(second.records[3].kind == .example)
        #expect(second.nextCursor == "Y3Vyc29yOjUwMA==")
    }

    @Test(
        "what the scanner does not read the decoder's way is left to the decoder",
        arguments: [
            // A source id nested, not flat, under data.
            #"{"records": [{"granularity": "SPAN", "data": {"context": {"span_id": "a"}}}]}"#,
            // A repeated key the scanner reads.
            #"{"records": [{"granularity": "SPAN", "data": {"context.span_id": "a", "context.span_id": "b"}}]}"#,
            // The list twice, an escaped key, a record that is no object, records that are no list.
            #"{"records": [], "records": []}"#,
            #"{"rec\u006frds": []}"#,
            #"{"records": ["r1"]}"#,
            #"{"records": {"a": 1}}"#,
            // An unknown key holding an array, no list at all, has_more that is no boolean, bad JSON.
            #"{"records": [], "pages": [1]}"#,
            #"{"pagination": {"has_more": false}}"#,
            #"{"records": [], "pagination": {"has_more": "no"}}"#,
            #"{"records": [], "pagination": {"has_more": false}"#,
            #"{"records": []} trailing"#,
            // Unknown top-level values the scanner does not check: a string, a bad literal, a hex number.
            #"{"records": [], "note": "x"}"#,
            #"{"records": [], "flag": tru}"#,
            #"{"records": [], "n": 0x10}"#,
        ])
    func fallsBack(page: String) {
        #expect(Self.scanned(page) == nil)
    }

    @Test("a body that is not UTF-8 anywhere is left to the decoder, which refuses it")
    func notUTF8() {
        var body = Array(#"{"records": [], "x": ""#.utf8)
        body += [0xFF, 0x22, 0x7D]
        #expect(QueueRecordPageScanner.scan(body, itemsKey: "records") == nil)
        #expect(QueueRecord.created(inBody: body) == nil)
    }

    @Test("a 201 body's created records are read by the scanner as by the decoder")
    func createdRecords() {
        let body =
            Array(
                #"{"record_sources": [{"id": "c1", "granularity": "SPAN", "data": {"context.span_id": "s1"}}, "#.utf8)
            + Array(#"{"id": "c2", "source_type": "DATASET", "data": {"id": "e2"}}]}"#.utf8)
        #expect(
            QueueRecord.created(inBody: body) == [
                QueueRecord(recordID: "c1", kind: .span, sourceID: Array("s1".utf8)),
                QueueRecord(recordID: "c2", kind: .example, sourceID: Array("e2".utf8)),
            ])
    }
}
