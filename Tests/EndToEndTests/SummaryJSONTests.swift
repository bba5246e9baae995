import AQImportCore
import Foundation
import Testing

/// `--summary-json` is for programs: what aq-import writes, `RunSummary.decode` reads back whole.
@Suite("Summary JSON")
struct SummaryJSONTests {
    private static func roundTrip(_ arguments: [String]) throws {
        let dir = try TemporaryDirectory()
        let result = try BinaryRunner.run(
            "aq-import", arguments + ["--summary-json", dir.file("summary.json").path], in: dir.url)
        #expect(result.exitCode == 0 || result.exitCode == 1, "\(result.stderr)")
        let written = try Data(contentsOf: dir.file("summary.json"))
        let summary = try RunSummary.decode(written)
        #expect(String(decoding: try summary.jsonData(), as: UTF8.self) == String(decoding: written, as: UTF8.self))
        // Dictionary keys are data: they come back as written.
        let object = try JSONSerialization.jsonObject(with: written) as! [String: Any]
        let inputs = object["inputs"] as! [[String: Any]]
        for (input, decoded) in zip(inputs, summary.inputs) {
            #expect(Set((input["rejected_by_reason"] as! [String: Any]).keys) == Set(decoded.rejectedByReason.keys))
        }
        #expect(Set((object["kinds"] as! [String: Any]).keys) == Set(summary.kinds.keys))
        #expect(summary.queueID == TestServerProcess.demoQueue)
    }

    @Test("a dry run with rejects, every kind and a selection reads back as written")
    func dryRun() throws {
        let samples = BinaryRunner.samples
        try Self.roundTrip(
            ["spans.csv", "traces.csv", "sessions.csv", "examples.csv"].map { samples.appendingPathComponent($0).path }
                + [
                    "--queue", TestServerProcess.demoQueue, "--dry-run", "--project-id", "UHJvamVjdDox", "--dataset-id",
                    "RGF0YXNldDox",
                ])
        try Self.roundTrip([
            samples.appendingPathComponent("spans.csv").path, "--queue", TestServerProcess.demoQueue, "--dry-run",
            "--stratify-by", "span_kind", "--sample", "10", "--where", "status_code = 'OK'",
        ])
    }

    @Test("a delivery with verification reads back as written")
    func delivery() async throws {
        let server = try TestServerProcess()
        defer { server.stop() }
        let dir = try TemporaryDirectory()
        let result = try BinaryRunner.run(
            "aq-import",
            [
                BinaryRunner.samples.appendingPathComponent("spans.csv").path, "--queue", TestServerProcess.demoQueue,
                "--endpoint", server.endpoint, "--verify", "always", "--summary-json", dir.file("summary.json").path,
            ], in: dir.url, environment: ["ARIZE_API_KEY": "test-key"])
        #expect(result.exitCode == 0 || result.exitCode == 1, "\(result.stderr)")
        let written = try Data(contentsOf: dir.file("summary.json"))
        let summary = try RunSummary.decode(written)
        #expect(summary.verification != nil)
        #expect(String(decoding: try summary.jsonData(), as: UTF8.self) == String(decoding: written, as: UTF8.self))
    }
}
