import Foundation
import Testing

@Suite("aq-import --dry-run on samples/")
struct DryRunTests {
    static let queue = "QW5ub3RhdGlvblF1ZXVlOjE6ZGVtbw=="

    /// The distinct span ids of the samples, read with Foundation's JSON parser, not aq-import's.
    static func sampleSpanIDs() throws -> Set<String> {
        let text = try String(contentsOf: BinaryRunner.samples.appendingPathComponent("spans.ndjson"), encoding: .utf8)
        var ids = Set<String>()
        for line in text.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let context = object["context"] as! [String: Any]
            ids.insert("SPAN \(object["project_id"] as! String) \(context["span_id"] as! String)")
        }
        return ids
    }

    @Test("spans.csv: every distinct valid id planned once, every rule held, the two broken rows rejected")
    func spansCSV() throws {
        let dir = try TemporaryDirectory()
        let plan = dir.file("plan.ndjson")
        let result = try BinaryRunner.run(
            "aq-import",
            [
                BinaryRunner.samples.appendingPathComponent("spans.csv").path, "--queue", Self.queue, "--dry-run",
                "--plan-out", plan.path, "--summary-json", dir.file("summary.json").path,
            ],
            in: dir.url)
        #expect(result.exitCode == 1, "two broken rows make exit 1: \(result.stderr)")
        let file = try PlanFile(contentsOf: plan)
        #expect(file.violations().isEmpty)
        let ids = file.allIDs
        #expect(ids.count == Set(ids).count, "an id was planned twice")
        #expect(Set(ids) == (try Self.sampleSpanIDs()))
        #expect(
            file.entries.allSatisfy { $0.path == "/v2/annotation-queues/QW5ub3RhdGlvblF1ZXVlOjE6ZGVtbw%3D%3D/records" })
        #expect(Set(file.entries.map(\.requestID)).count == file.entries.count)

        let rejects = try String(contentsOf: dir.file("spans.rejects.csv"), encoding: .utf8)
        #expect(rejects.hasPrefix("aq_error,aq_file,aq_line,"))
        #expect(rejects.contains("missing or empty id"))
        #expect(rejects.contains("last tuesday"))

        let summary =
            try JSONSerialization.jsonObject(with: Data(contentsOf: dir.file("summary.json"))) as! [String: Any]
        let inputs = summary["inputs"] as! [[String: Any]]
        #expect(inputs.first?["rejected"] as? Int == 2)
        #expect(inputs.first?["duplicates"] as? Int == 12)
        #expect(inputs.first?["kind"] as? String == "span")
        #expect(inputs.first?["kind_inferred"] as? Bool == true)
        #expect(result.stdout.contains("lower bound L ="))
    }

    @Test(
        "the same inputs give byte-identical plans", arguments: ["spans.ndjson", "spans-pandas.ndjson", "spans.csv.gz"])
    func deterministic(sample: String) throws {
        let dir = try TemporaryDirectory()
        var plans: [Data] = []
        for name in ["a.ndjson", "b.ndjson"] {
            let result = try BinaryRunner.run(
                "aq-import",
                [
                    BinaryRunner.samples.appendingPathComponent(sample).path, "--queue", Self.queue, "--dry-run",
                    "--plan-out", dir.file(name).path,
                ],
                in: dir.url)
            #expect([0, 1].contains(result.exitCode), "\(result.stderr)")
            plans.append(try Data(contentsOf: dir.file(name)))
        }
        #expect(plans[0] == plans[1])
        let ids = try PlanFile(contentsOf: dir.file("a.ndjson")).allIDs
        #expect(Set(ids) == (try Self.sampleSpanIDs()))
    }

    @Test(
        "a span export as Parquet (export_to_parquet) and as ax JSON arrays plans byte-identically to the CSV",
        arguments: ["spans.parquet", "spans-ax.json", "spans-ax-all.json"])
    func otherFormatsPlanAsTheCSV(sample: String) throws {
        let dir = try TemporaryDirectory()
        var plans: [Data] = []
        for (input, plan) in [("spans.csv", "csv.ndjson"), (sample, "other.ndjson")] {
            let result = try BinaryRunner.run(
                "aq-import",
                [
                    BinaryRunner.samples.appendingPathComponent(input).path, "--queue", Self.queue, "--dry-run",
                    "--plan-out", dir.file(plan).path,
                ],
                in: dir.url)
            #expect([0, 1].contains(result.exitCode), "\(input): \(result.stderr)")
            plans.append(try Data(contentsOf: dir.file(plan)))
        }
        #expect(!plans[0].isEmpty)
        #expect(plans[0] == plans[1], "\(sample) plans otherwise than spans.csv")
    }

    @Test("every sample kind plans valid requests")
    func allSamples() throws {
        let dir = try TemporaryDirectory()
        let plan = dir.file("plan.ndjson")
        let samples = ["traces.csv", "sessions.csv", "examples.csv", "examples.ndjson"].map {
            BinaryRunner.samples.appendingPathComponent($0).path
        }
        let result = try BinaryRunner.run(
            "aq-import",
            samples + [
                "--queue", Self.queue, "--dry-run", "--plan-out", plan.path,
                "--dataset-id", "RGF0YXNldDo0MjpxYQ==",
            ],
            in: dir.url)
        #expect(result.exitCode == 0, "\(result.stdout)\n\(result.stderr)")
        let file = try PlanFile(contentsOf: plan)
        #expect(file.violations().isEmpty)
        let types = Set(file.allIDs.map { $0.split(separator: " ")[0] })
        #expect(types == ["TRACE", "SESSION", "EXAMPLE"])
        // examples.csv and examples.ndjson hold the same 240 examples: planned once.
        #expect(file.allIDs.filter { $0.hasPrefix("EXAMPLE") }.count == 240)
    }

    @Test("--max-rejects stops the run, with nothing sent, when rejects pass the limit")
    func maxRejects() throws {
        let dir = try TemporaryDirectory()
        let base = [
            BinaryRunner.samples.appendingPathComponent("spans.csv").path, "--queue", Self.queue, "--dry-run",
        ]
        let over = try BinaryRunner.run("aq-import", base + ["--max-rejects", "1"], in: dir.url)
        #expect(over.exitCode == 2)
        #expect(over.stderr.contains("--max-rejects 1"))
        let within = try BinaryRunner.run("aq-import", base + ["--max-rejects", "2"], in: dir.url)
        #expect(within.exitCode == 1)
        let percent = try BinaryRunner.run("aq-import", base + ["--max-rejects", "0.1%"], in: dir.url)
        #expect(percent.exitCode == 2, "2 of 492 rows is 0.4%")
        let bad = try BinaryRunner.run("aq-import", base + ["--max-rejects", "lots"], in: dir.url)
        #expect(bad.exitCode == 2)
    }

    @Test("inputs with the same base name get rejects files of their own; a rejects file is never an input")
    func rejectsPaths() throws {
        let dir = try TemporaryDirectory()
        let csv = BinaryRunner.samples.appendingPathComponent("spans.csv").path
        let gz = BinaryRunner.samples.appendingPathComponent("spans.csv.gz").path
        let both = try BinaryRunner.run("aq-import", [csv, gz, "--queue", Self.queue, "--dry-run"], in: dir.url)
        #expect(both.exitCode == 1)
        for name in ["spans-1.rejects.csv", "spans-2.rejects.csv"] {
            let text = try String(contentsOf: dir.file(name), encoding: .utf8)
            #expect(text.split(separator: "\n").count >= 3, "\(name): a header and two rows")
        }

        let input = dir.file("in.csv")
        try FileManager.default.copyItem(atPath: csv, toPath: input.path)
        let before = try Data(contentsOf: input)
        let clobber = try BinaryRunner.run(
            "aq-import", [input.path, "--queue", Self.queue, "--dry-run", "--rejects", input.path], in: dir.url)
        #expect(clobber.exitCode == 2)
        #expect(clobber.stderr.contains("one of the inputs"))
        #expect(try Data(contentsOf: input) == before)
    }

    @Test("usage errors exit 2")
    func usageError() throws {
        let dir = try TemporaryDirectory()
        let result = try BinaryRunner.run("aq-import", ["spans.csv", "--dry-run"], in: dir.url)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("--queue"))
    }

    @Test("an unreadable input exits 2 naming the file")
    func missingFile() throws {
        let dir = try TemporaryDirectory()
        let result = try BinaryRunner.run(
            "aq-import", ["nope.csv", "--queue", Self.queue, "--dry-run", "--project-id", "p"], in: dir.url)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("nope.csv"))
    }

    @Test("a file without timestamps needs --start and --end, at most 7 days apart")
    func fixedWindow() throws {
        let dir = try TemporaryDirectory()
        try "span_id\nabc\ndef\n".write(to: dir.file("ids.csv"), atomically: true, encoding: .utf8)
        let base = [dir.file("ids.csv").path, "--queue", Self.queue, "--dry-run", "--project-id", "p"]
        let missing = try BinaryRunner.run("aq-import", base, in: dir.url)
        #expect(missing.exitCode == 2)
        #expect(missing.stderr.contains("--start"))
        let tooLong = try BinaryRunner.run(
            "aq-import", base + ["--start", "2026-01-01T00:00:00Z", "--end", "2026-01-09T00:00:00Z"], in: dir.url)
        #expect(tooLong.exitCode == 2)
        #expect(tooLong.stderr.contains("7 days"))
        let plan = dir.file("plan.ndjson")
        let ok = try BinaryRunner.run(
            "aq-import",
            base + ["--start", "2026-01-01T00:00:00Z", "--end", "2026-01-02T00:00:00Z", "--plan-out", plan.path],
            in: dir.url)
        #expect(ok.exitCode == 0, "\(ok.stderr)")
        let file = try PlanFile(contentsOf: plan)
        #expect(file.entries.count == 1)
        #expect(file.entries[0].sources[0]["start_time"] as? String == "2026-01-01T00:00:00Z")
    }
}
