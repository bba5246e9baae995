import Foundation
import Testing

@testable import AQImportCore

/// Ids and scopes are opaque values held to one set of rules in every reader: no control character
/// (C0, DEL, C1), no empty or blank value, ASCII blanks around them trimmed.
@Suite("Opaque values: ids and scopes")
struct OpaqueValueTests {
    static let c1: [String] = ["a\u{85}b", "c\u{9B}31m", "\u{80}", "x\u{9F}"]

    @Test("C1 control characters in ids are rejected, in CSV and NDJSON", arguments: c1)
    func c1InIDs(id: String) throws {
        let csv = try InputTestSupport.read("span_id,start_time\n\"\(id)\",1768435200\nok,1768435200\n", format: .csv)
        #expect(csv.records.map(\.id.text) == ["ok"])
        #expect(csv.rejections.map(\.reason.code) == ["invalid_value"])
        #expect(csv.rejections.first?.reason.message.contains("control character") == true)
        let escaped = id.unicodeScalars.map { $0.value < 0x80 ? String($0) : String(format: "\\u%04x", $0.value) }
            .joined()
        let lines = [
            "{\"span_id\":\"\(escaped)\",\"start_time\":1768435200}",
            "{\"span_id\":\"\(id)\",\"start_time\":1768435200}",
            "{\"span_id\":\"ok\",\"start_time\":1768435200}",
        ]
        let ndjson = try InputTestSupport.read(lines.joined(separator: "\n") + "\n", format: .ndjson)
        #expect(ndjson.records.map(\.id.text) == ["ok"])
        #expect(ndjson.rejections.map(\.line) == [1, 2])
    }

    @Test("characters next to the C1 range are kept: U+007E, U+00A0 inside, U+00C2, U+0100")
    func nearC1() throws {
        let ids = ["a~b", "a\u{A0}b", "\u{C2}x", "\u{100}", "\u{C2}\u{A9}"]
        let text = "span_id,start_time\n" + ids.map { "\($0),1768435200\n" }.joined()
        let result = try InputTestSupport.read(text, format: .csv)
        #expect(result.records.map { Array($0.id.text.utf8) } == ids.map { Array($0.utf8) })
    }

    @Test("project_id cells: blank means none of its own, ASCII blanks are trimmed, control characters rejected")
    func scopeCells() throws {
        let rows = [
            "a,1768435200,P1", "b,1768435200,  P2\t", "c,1768435200,\"   \"", "d,1768435200,\"P\nQ\"",
            "e,1768435200,\"P\u{85}\"", "f,1768435200,\"P\u{7F}\"", "g,1768435200,\u{3000}P",
        ]
        let text = "span_id,start_time,project_id\n" + rows.joined(separator: "\n") + "\n"
        let withDefault = try InputTestSupport.read(text, format: .csv, options: ReadOptions(projectID: "D"))
        #expect(withDefault.records.map(\.id.text) == ["a", "b", "c"])
        #expect(withDefault.records.map(\.scope) == [.project(id: "P1"), .project(id: "P2"), .project(id: "D")])
        #expect(
            withDefault.rejections.map(\.reason.code) == [
                "invalid_value", "invalid_value", "invalid_value", "invalid_value",
            ])
        #expect(withDefault.rejections.allSatisfy { $0.reason.message.contains("project_id") })
        let without = try InputTestSupport.read(text, format: .csv, options: ReadOptions())
        #expect(without.records.map(\.id.text) == ["a", "b"])
        #expect(without.rejections.first?.reason.code == "missing_scope")
    }

    @Test("NDJSON scope values obey the same rules")
    func ndjsonScope() throws {
        let lines = [
            #"{"span_id":"a","start_time":1768435200,"project_id":" P1 "}"#,
            #"{"span_id":"b","start_time":1768435200,"project_id":"P\nQ"}"#,
            #"{"span_id":"c","start_time":1768435200,"project_id":"P\u0085"}"#,
            #"{"span_id":"d","start_time":1768435200,"project_id":""}"#,
        ]
        let result = try InputTestSupport.read(
            lines.joined(separator: "\n") + "\n", format: .ndjson, options: ReadOptions())
        #expect(result.records.map(\.scope) == [.project(id: "P1")])
        #expect(result.rejections.map(\.reason.code) == ["invalid_value", "invalid_value", "missing_scope"])
    }

    @Test("dataset_id and dataset_version_id cells obey the same rules")
    func datasetCells() throws {
        let text = "id,dataset_id,dataset_version_id\na,D1, V1 \nb,\"D\u{9B}\",\nc,D2,\"V X\"\nd,D3,\"\u{1}\"\n"
        let result = try InputTestSupport.read(text, format: .csv, options: ReadOptions())
        #expect(
            result.records.map(\.scope) == [.dataset(id: "D1", versionID: "V1"), .dataset(id: "D2", versionID: "V X")])
        #expect(result.rejections.map(\.line) == [3, 5])
    }

    @Test(
        "scope flags: empty, blank, control characters and outer whitespace are refused",
        arguments: ["", " ", "\t", "P\n", "P\u{85}", "a\u{0}b", " P", "P\u{3000}", String(repeating: "p", count: 4097)])
    func badFlags(value: String) {
        #expect(Scope.problem(withFlagValue: value) != nil)
    }

    @Test(
        "scope flags: real project and dataset ids pass", arguments: ["TW9kZWw6MTAxOnByb2RDaGF0", "p1", "a b", "café"])
    func goodFlags(value: String) {
        #expect(Scope.problem(withFlagValue: value) == nil)
    }
}
