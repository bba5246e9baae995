import Foundation
import Testing

/// Issue 12 end to end: the same rows in each format (CSV, NDJSON, JSON array, Parquet) give the same picks; a sampled import killed
/// and resumed sends exactly the planned sample, even when the target queue is also excluded.
@Suite("aq-import --where/--sample/--stratify-by/--one-per/--exclude-queue", .serialized)
struct SelectionTests {
    static let queue = TestServerProcess.demoQueue
    static let header = "context.span_id,context.trace_id,start_time,span_kind,eval.correctness.label,project_id"

    /// `count` spans, four per trace, over a day; labels correct, incorrect and missing.
    static func writeCSV(_ url: URL, count: Int) throws {
        var lines = [header]
        for i in 0..<count {
            let kind = i % 3 == 0 ? "TOOL" : "LLM"
            let label = i % 5 == 0 ? "" : i % 2 == 0 ? "incorrect" : "correct"
            lines.append("\(spanID(i)),\(traceID(i / 4)),\(startTime(i)),\(kind),\(label),\(project)")
        }
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    static let project = "TW9kZWw6MTAxOnByb2RDaGF0"
    static func spanID(_ i: Int) -> String { String(format: "%016llx", UInt64(i) &* 0x9E37_79B9_7F4A_7C15) }
    static func traceID(_ t: Int) -> String { String(format: "%032llx", UInt64(t) &+ 0xABCD_0000) }
    static func startTime(_ i: Int) -> String {
        let seconds = (i * 37) % 86_400
        return String(format: "2026-01-15T%02d:%02d:%02dZ", seconds / 3600, seconds / 60 % 60, seconds % 60)
    }

    static let gold = Data("AnnotationQueue:2:gold".utf8).base64EncodedString()

    /// A double with the queue Gold whose catalogue knows the first `count` spans of `writeCSV`, each
    /// with its time and trace, and rejects other ids.
    static func serverWithGold(count: Int, in dir: TemporaryDirectory) throws -> TestServerProcess {
        var times: [String: String] = [:]
        var traces: [String: String] = [:]
        for i in 0..<count {
            times[spanID(i)] = startTime(i)
            traces[spanID(i)] = traceID(i / 4)
        }
        let config: [String: Any] = [
            "queues": [["id": gold, "name": "Gold", "space_id": "U3BhY2U6MTpkZW1v"]],
            "catalogue": ["projects": [project: ["spans": times, "span_traces": traces]]],
            "unknown_ids": "reject",
        ]
        try JSONSerialization.data(withJSONObject: config).write(to: dir.file("server.json"))
        return try TestServerProcess(["--config", dir.file("server.json").path])
    }

    static var python: URL? {
        let url = BinaryRunner.packageRoot.appendingPathComponent(".venv/bin/python")
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }

    /// The CSV as NDJSON, a JSON array and Parquet, written by pandas from the same rows.
    static func convert(_ csv: URL, in dir: URL) throws {
        let script = """
            import sys, pandas as pd
            df = pd.read_csv(sys.argv[1], dtype=str)
            df.to_json(sys.argv[2], orient="records", lines=True)
            df.to_json(sys.argv[3], orient="records")
            df.to_parquet(sys.argv[4], index=False)
            """
        let process = Process()
        process.executableURL = python!
        process.arguments = [
            "-c", script, csv.path, dir.appendingPathComponent("spans.ndjson").path,
            dir.appendingPathComponent("spans.json").path, dir.appendingPathComponent("spans.parquet").path,
        ]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    static let selectionFlags = [
        "--where", "span_kind = 'LLM' AND start_time < '2026-01-15T20:00:00Z'", "--stratify-by",
        "eval.correctness.label", "--per-stratum", "7", "--one-per", "trace", "--seed", "3",
    ]

    @Test("the same rows as CSV, NDJSON, a JSON array and Parquet give the same picks and strata")
    func sameRowsSamePicks() throws {
        guard Self.python != nil else { return }
        let dir = try TemporaryDirectory()
        try Self.writeCSV(dir.file("spans.csv"), count: 400)
        try Self.convert(dir.file("spans.csv"), in: dir.url)
        var outputs: [String: String] = [:]
        var strata: [String: String] = [:]
        for format in ["csv", "ndjson", "json", "parquet"] {
            let result = try BinaryRunner.run(
                "aq-import",
                [
                    dir.file("spans.\(format)").path, "--queue", Self.queue, "--dry-run", "--selection-out",
                    dir.file("\(format).picked").path, "--summary-json", dir.file("\(format).summary").path,
                ] + Self.selectionFlags, in: dir.url)
            #expect(result.exitCode == 0, "\(format): \(result.stderr)")
            outputs[format] = try String(contentsOf: dir.file("\(format).picked"), encoding: .utf8)
            let summary =
                try JSONSerialization.jsonObject(with: Data(contentsOf: dir.file("\(format).summary")))
                as! [String: Any]
            let selection = summary["selection"] as! [String: Any]
            strata[format] = String(
                decoding: try JSONSerialization.data(withJSONObject: selection["strata"]!, options: .sortedKeys),
                as: UTF8.self)
            #expect(selection["seed"] as? Int == 3)
            let filtered = (summary["inputs"] as! [[String: Any]]).first?["filtered_out"] as? Int
            #expect(filtered ?? 0 > 0)
        }
        let picked = try #require(outputs["csv"]).split(separator: "\n")
        // Three strata (correct, incorrect, missing), seven traces each.
        #expect(picked.count == 21)
        #expect(outputs["ndjson"] == outputs["csv"])
        #expect(outputs["json"] == outputs["csv"])
        #expect(outputs["parquet"] == outputs["csv"])
        #expect(strata["ndjson"] == strata["csv"] && strata["json"] == strata["csv"])
        #expect(strata["parquet"] == strata["csv"])
    }

    @Test("a --where that does not parse is refused with its column; an unknown column names the columns")
    func badWhere() throws {
        let dir = try TemporaryDirectory()
        try Self.writeCSV(dir.file("spans.csv"), count: 10)
        let syntax = try BinaryRunner.run(
            "aq-import", [dir.file("spans.csv").path, "--queue", Self.queue, "--dry-run", "--where", "span_kind = "],
            in: dir.url)
        #expect(syntax.exitCode == 2)
        #expect(syntax.stderr.contains("at column 13"))
        let unknown = try BinaryRunner.run(
            "aq-import",
            [dir.file("spans.csv").path, "--queue", Self.queue, "--dry-run", "--where", "spankind = 'LLM'"],
            in: dir.url)
        #expect(unknown.exitCode == 2)
        #expect(unknown.stderr.contains("no input has a column \"spankind\""))
        #expect(unknown.stderr.contains("\"span_kind\""))
    }

    @Test("a sampled import, its target queue excluded, killed and resumed, sends exactly the planned sample")
    func killedAndResumed() async throws {
        let dir = try TemporaryDirectory()
        try Self.writeCSV(dir.file("spans.csv"), count: 6000)
        let server = try TestServerProcess(["--latency-ms", "150,0"])
        defer { server.stop() }
        // Units the queue already holds are never picked again.
        let held = ["0000000000000000", String(format: "%016llx", UInt64(1) &* 0x9E37_79B9_7F4A_7C15)]
        let seed = """
            {"record_sources": [{"record_type": "SPAN", "project_id": "TW9kZWw6MTAxOnByb2RDaGF0",
              "start_time": "2026-01-14T00:00:00Z", "end_time": "2026-01-16T00:00:00Z",
              "span_ids": ["\(held[0])", "\(held[1])"]}]}
            """
        try await server.post("/_control/queues/\(Self.queue)/records", json: seed)
        let flags = [
            "--queue", Self.queue, "--sample", "2500", "--seed", "9", "--exclude-queue", Self.queue,
            "--endpoint", server.endpoint, "--concurrency", "1", "--rate", "0.25", "--quiet",
        ]
        let environment = ["ARIZE_API_KEY": "test-key"]
        let dry = try BinaryRunner.run(
            "aq-import",
            [dir.file("spans.csv").path] + flags + ["--dry-run", "--selection-out", dir.file("planned").path],
            in: dir.url, environment: environment)
        #expect(dry.exitCode == 0, "\(dry.stderr)")
        let planned = Set(
            try String(contentsOf: dir.file("planned"), encoding: .utf8).split(separator: "\n").map { line in
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                return "SPAN \(object["id"] as! String)"
            })
        #expect(planned.count == 2500)
        #expect(planned.isDisjoint(with: held.map { "SPAN \($0)" }))

        // The first run is killed once a request has landed. Its five requests are 4 s apart, so that a
        // poll delayed by a loaded machine (tests run in parallel) still finds it mid-way.
        let process = Process()
        process.executableURL = BinaryRunner.executable("aq-import")
        process.arguments = [dir.file("spans.csv").path] + flags
        process.currentDirectoryURL = dir.url
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = dir.url.path
        env["ARIZE_API_KEY"] = "test-key"
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var landed = 0
        for _ in 0..<600 where process.isRunning {
            landed = try await server.storedIDs().count - held.count
            if landed > 0 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(landed > 0 && landed < 2500, "the kill should land mid-way (\(landed) stored)")

        let resumed = try BinaryRunner.run(
            "aq-import", [dir.file("spans.csv").path] + flags, in: dir.url, environment: environment)
        #expect(resumed.exitCode == 0, "\(resumed.stderr)")
        let stored = Set(try await server.storedIDs())
        let delivered = stored.subtracting(held.map { "SPAN \($0)" })
        #expect(
            delivered == planned,
            "\(delivered.subtracting(planned).count) unplanned, \(planned.subtracting(delivered).count) missing")
    }

    @Test("status shows the selection; a resume with another seed is refused: the journal pins the selection")
    func anotherSeedIsRefused() async throws {
        let dir = try TemporaryDirectory()
        try Self.writeCSV(dir.file("spans.csv"), count: 200)
        let server = try TestServerProcess()
        defer { server.stop() }
        let flags = [
            dir.file("spans.csv").path, "--queue", Self.queue, "--sample", "30", "--endpoint", server.endpoint,
        ]
        let environment = ["ARIZE_API_KEY": "test-key"]
        let first = try BinaryRunner.run(
            "aq-import", flags + ["--seed", "1"], in: dir.url, environment: environment)
        #expect(first.exitCode == 0, "\(first.stderr)")
        #expect(try await server.storedIDs().count == 30)
        let status = try BinaryRunner.run("aq-import", ["status"], in: dir.url)
        #expect(status.stdout.contains("Selection\n  --sample 30 --seed 1"), "\(status.stdout)")
        #expect(status.stdout.contains("all records: population 200, excluded 0, asked 30, picked 30"))
        let second = try BinaryRunner.run(
            "aq-import", flags + ["--seed", "2"], in: dir.url, environment: environment)
        #expect(second.exitCode == 2)
        #expect(second.stderr.contains("different run"), "\(second.stderr)")
        #expect(try await server.storedIDs().count == 30)
    }
    @Test(
        "--one-per trace --exclude-queue: a queue of span records holds their traces (its listing names each span's trace), so a top-up picks none of them"
    )
    func excludeTracesThroughSpanRecords() async throws {
        let dir = try TemporaryDirectory()
        try Self.writeCSV(dir.file("spans.csv"), count: 400)
        // The catalogue knows every span, its time and its trace (spans 4t..4t+3 belong to trace t).
        let server = try Self.serverWithGold(count: 400, in: dir)
        defer { server.stop() }
        let (project, gold) = (Self.project, Self.gold)
        // Gold holds one span (the second) of each of the first 20 traces, as an earlier top-up left it.
        let heldSpans = (0..<20).map { Self.spanID(4 * $0 + 1) }
        let seed = """
            {"record_sources": [{"record_type": "SPAN", "project_id": "\(project)",
              "start_time": "2026-01-15T00:00:00Z", "end_time": "2026-01-16T00:00:00Z",
              "span_ids": [\(heldSpans.map { "\"\($0)\"" }.joined(separator: ","))]}]}
            """
        try await server.post("/_control/queues/\(gold)/records", json: seed)

        let dry = try BinaryRunner.run(
            "aq-import",
            [
                dir.file("spans.csv").path, "--queue", Self.queue, "--dry-run", "--one-per", "trace", "--sample",
                "1000", "--exclude-queue", "Gold", "--space", "demo", "--endpoint", server.endpoint,
                "--selection-out", dir.file("picked").path,
            ], in: dir.url, environment: ["ARIZE_API_KEY": "test-key"])
        #expect(dry.exitCode == 0, "\(dry.stderr)")
        let units = try String(contentsOf: dir.file("picked"), encoding: .utf8).split(separator: "\n").map {
            line in
            (try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any])["unit"] as! String
        }
        // One span for each of the 80 traces Gold holds no span of.
        #expect(units.count == 80)
        #expect(Set(units) == Set((20..<100).map(Self.traceID)))
    }

    @Test(
        "the issue's own top-up from Parquet into Gold: per label at most N traces Gold does not hold, the same on every run, never a trace twice"
    )
    func topUpGoldFromParquet() async throws {
        guard Self.python != nil else { return }
        let dir = try TemporaryDirectory()
        try Self.writeCSV(dir.file("spans.csv"), count: 400)
        try Self.convert(dir.file("spans.csv"), in: dir.url)
        let server = try Self.serverWithGold(count: 400, in: dir)
        defer { server.stop() }
        let (project, gold) = (Self.project, Self.gold)
        let traceOf = Dictionary(uniqueKeysWithValues: (0..<400).map { (Self.spanID($0), $0 / 4) })
        let environment = ["ARIZE_API_KEY": "test-key"]
        func flags(_ more: [String]) -> [String] {
            [
                dir.file("spans.parquet").path, "--queue", "Gold", "--space", "demo", "--project-id", project,
                "--where", "span_kind = 'LLM'", "--stratify-by", "eval.correctness.label", "--per-stratum", "5",
                "--one-per", "trace", "--exclude-queue", "Gold", "--endpoint", server.endpoint,
            ] + more
        }
        func picked(_ name: String) throws -> [String] {
            try String(contentsOf: dir.file(name), encoding: .utf8).split(separator: "\n").map { line in
                (try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any])["id"] as! String
            }
        }
        func storedSpans() async throws -> [String] {
            try await server.storedIDs(queue: gold).map { String($0.dropFirst("SPAN ".count)) }
        }

        for round in 1...2 {
            // A preview twice, then the import: the same picks each time.
            for preview in ["a", "b"] {
                let dry = try BinaryRunner.run(
                    "aq-import", flags(["--dry-run", "--selection-out", dir.file("\(round)\(preview)").path]),
                    in: dir.url, environment: environment)
                #expect(dry.exitCode == 0, "\(dry.stderr)")
            }
            let preview = try picked("\(round)a")
            #expect(try picked("\(round)b") == preview)
            let before = Set(try await storedSpans())
            let run = try BinaryRunner.run(
                "aq-import", flags(["--journal", dir.file("round\(round).journal").path]), in: dir.url,
                environment: environment)
            #expect(run.exitCode == 0, "\(run.stderr)")
            let added = Set(try await storedSpans()).subtracting(before)
            #expect(added == Set(preview), "round \(round)")
            // Three strata (correct, incorrect, missing), at most five traces each.
            #expect(!preview.isEmpty && preview.count <= 15, "round \(round): \(preview.count)")
        }
        let all = try await storedSpans()
        let tracesHeld = all.map { traceOf[$0]! }
        #expect(Set(tracesHeld).count == all.count, "a trace is in Gold twice")
        #expect(all.count == 30, "two rounds of 3 strata x 5 traces: \(all.count)")
    }

    @Test(
        "--exclude-queue by name with --space drops exactly the traces that queue holds; an unknown name stops the run")
    func excludeQueueByName() async throws {
        let dir = try TemporaryDirectory()
        try Self.writeCSV(dir.file("spans.csv"), count: 400)
        let gold = Data("AnnotationQueue:2:gold".utf8).base64EncodedString()
        let config = """
            {"queues": [{"id": "\(gold)", "name": "Gold", "space_id": "U3BhY2U6MTpkZW1v"}]}
            """
        try config.write(to: dir.file("server.json"), atomically: true, encoding: .utf8)
        let server = try TestServerProcess(["--config", dir.file("server.json").path])
        defer { server.stop() }
        // Gold holds the first 20 of the 100 traces (spans 4t..4t+3 belong to trace t).
        let traceID = { (t: Int) in String(format: "%032llx", UInt64(t) &+ 0xABCD_0000) }
        let heldTraces = (0..<20).map(traceID)
        let seed = """
            {"record_sources": [{"record_type": "TRACE", "project_id": "TW9kZWw6MTAxOnByb2RDaGF0",
              "start_time": "2026-01-14T00:00:00Z", "end_time": "2026-01-16T00:00:00Z",
              "trace_ids": [\(heldTraces.map { "\"\($0)\"" }.joined(separator: ","))]}]}
            """
        try await server.post("/_control/queues/\(gold)/records", json: seed)
        let spanID = { (i: Int) in String(format: "%016llx", UInt64(i) &* 0x9E37_79B9_7F4A_7C15) }
        let heldSpans = Set((0..<80).map(spanID))

        let environment = ["ARIZE_API_KEY": "test-key"]
        let dry = try BinaryRunner.run(
            "aq-import",
            [
                dir.file("spans.csv").path, "--queue", Self.queue, "--dry-run", "--one-per", "trace", "--sample",
                "1000", "--exclude-queue", "Gold", "--space", "demo", "--endpoint", server.endpoint,
                "--selection-out", dir.file("picked").path, "--summary-json", dir.file("summary.json").path,
            ], in: dir.url, environment: environment)
        #expect(dry.exitCode == 0, "\(dry.stderr)")
        let picked = try String(contentsOf: dir.file("picked"), encoding: .utf8).split(separator: "\n").map {
            line in
            (try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any])["id"] as! String
        }
        // One span a trace, for each of the 80 traces Gold does not hold.
        #expect(picked.count == 80)
        #expect(Set(picked).isDisjoint(with: heldSpans))
        let summary =
            try JSONSerialization.jsonObject(with: Data(contentsOf: dir.file("summary.json"))) as! [String: Any]
        let selection = summary["selection"] as! [String: Any]
        #expect(selection["picked"] as? Int == 80, "\(selection)")

        let unknown = try BinaryRunner.run(
            "aq-import",
            [
                dir.file("spans.csv").path, "--queue", Self.queue, "--sample", "10", "--exclude-queue", "Golden Oldies",
                "--space", "demo", "--endpoint", server.endpoint,
            ], in: dir.url, environment: environment)
        #expect(unknown.exitCode == 2, "\(unknown.stderr)")
        #expect(unknown.stderr.contains("Golden Oldies"), "\(unknown.stderr)")
        #expect(try await server.storedIDs().isEmpty)
    }
}
