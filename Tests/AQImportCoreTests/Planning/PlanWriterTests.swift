import Foundation
import Testing

@testable import AQImportCore

@Suite("PlanWriter")
struct PlanWriterTests {
    static let queue = "QW5ub3RhdGlvblF1ZXVlOjE6YUJjRA=="

    static func plan() -> Plan {
        PlanScenario(seed: 3, maxPerGroup: 2_000).planner().plan()
    }

    @Test("each line is a JSON object with exactly request_id, path and the exact body")
    func linesParse() throws {
        let plan = Self.plan()
        let writer = PlanWriter(queueID: Self.queue)
        for request in plan.requests {
            let line = writer.line(for: request)
            #expect(line.last == UInt8(ascii: "\n"))
            #expect(line.dropLast().contains(UInt8(ascii: "\n")) == false)
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(line.dropLast())) as? [String: Any])
            #expect(Set(object.keys) == ["request_id", "path", "body"])
            #expect(object["request_id"] as? String == request.id.hex)
            #expect(
                object["path"] as? String == "/v2/annotation-queues/QW5ub3RhdGlvblF1ZXVlOjE6YUJjRA%3D%3D/records")
            let body = try #require(object["body"] as? [String: Any])
            let expected = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? NSDictionary)
            #expect(NSDictionary(dictionary: body) == expected)
            // The body bytes go in verbatim, so the line carries exactly what is sent.
            let text = String(decoding: line, as: UTF8.self)
            #expect(text.hasSuffix(#","body":"# + String(decoding: request.body, as: UTF8.self) + "}\n"))
        }
    }

    @Test("a file gets one line per request, in plan order")
    func writesFile() throws {
        let plan = Self.plan()
        let writer = PlanWriter(queueID: Self.queue)
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("plan-\(UUID().uuidString).ndjson").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try writer.write(plan, toFile: path)
        let data = try #require(FileManager.default.contents(atPath: path))
        #expect(Array(data) == plan.requests.flatMap { writer.line(for: $0) })
        #expect(data.filter { $0 == UInt8(ascii: "\n") }.count == plan.requests.count)
    }
}
