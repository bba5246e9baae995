import Foundation
import Testing

@testable import AQImportCore

@Suite struct RejectSinkTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rejects-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func rejection(_ original: OriginalRow, line: Int = 7, reason: RejectReason = .missingID) -> Rejection {
        Rejection(file: "in.csv", line: line, reason: reason, original: original)
    }

    func read(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    @Test func csvRowsKeepTheirColumnsBehindTheReasonAndQuoteWhatNeedsIt() throws {
        let path = directory.appendingPathComponent("a.csv").path
        let sink = RejectSink { _ in path }
        try sink.write(
            rejection(.csv(header: ["", "span_id", "text"], fields: ["0", "", "a, \"b\"\nc"])), fileIndex: 0)
        try sink.write(
            rejection(.csv(header: ["", "span_id", "text"], fields: ["1", "", "plain"]), line: 9), fileIndex: 0)
        let outputs = try sink.close()
        #expect(outputs == [RejectSink.Output(input: "in.csv", path: path, count: 2)])
        #expect(
            try read("a.csv") == """
                aq_error,aq_file,aq_line,,span_id,text
                missing or empty id,in.csv,7,0,,"a, ""b""
                c"
                missing or empty id,in.csv,9,1,,plain

                """)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func aRejectsFileFedBackHasItsReasonReplacedNotStacked() throws {
        let path = directory.appendingPathComponent("b.csv").path
        let sink = RejectSink { _ in path }
        let header = ["aq_error", "aq_file", "aq_line", "span_id"]
        try sink.write(rejection(.csv(header: header, fields: ["old reason", "x.csv", "3", ""])), fileIndex: 0)
        _ = try sink.close()
        #expect(try read("b.csv") == "aq_error,aq_file,aq_line,span_id\nmissing or empty id,in.csv,7,\n")
    }

    @Test func appendingAddsNoSecondHeader() throws {
        let path = directory.appendingPathComponent("c.csv").path
        for _ in 0..<2 {
            let sink = RejectSink(append: true) { _ in path }
            try sink.write(rejection(.csv(header: ["span_id"], fields: [""])), fileIndex: 0)
            _ = try sink.close()
        }
        #expect(
            try read("c.csv") == "aq_error,aq_file,aq_line,span_id\n"
                + String(repeating: "missing or empty id,in.csv,7,\n", count: 2))
    }

    @Test func ndjsonObjectsGainTheThreeFields() throws {
        let path = directory.appendingPathComponent("d.ndjson").path
        let sink = RejectSink { _ in path }
        try sink.write(rejection(.ndjson(line: #"{"span_id": ""}"#)), fileIndex: 0)
        try sink.write(rejection(.ndjson(line: "{}")), fileIndex: 0)
        try sink.write(rejection(.ndjson(line: "[1, 2]"), reason: .invalidValue("not an object")), fileIndex: 0)
        _ = try sink.close()
        let lines = try read("d.ndjson").split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        #expect(lines.count == 3)
        #expect(lines[0]["span_id"] as? String == "")
        #expect(lines[0]["aq_error"] as? String == "missing or empty id")
        #expect(lines[1]["aq_line"] as? Int == 7)
        #expect(lines[2]["aq_original"] as? String == "[1, 2]")
        #expect(lines[2]["aq_file"] as? String == "in.csv")
    }

    @Test func defaultPathsDropTheExtensions() {
        #expect(
            RejectSink.defaultPath(input: "/x/spans.csv.gz", format: .csv, directory: "/out")
                == "/out/spans.rejects.csv")
        #expect(RejectSink.defaultPath(input: "-", format: .ndjson, directory: "/out") == "/out/stdin.rejects.ndjson")
    }
}
