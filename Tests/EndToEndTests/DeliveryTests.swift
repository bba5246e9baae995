import Foundation
import Testing

/// The importer against the API double, both as built binaries over loopback.
@Suite("aq-import delivers to aq-test-server", .serialized)
struct DeliveryTests {
    let queue = TestServerProcess.demoQueue

    func importArgs(_ inputs: [String], _ server: TestServerProcess, _ extra: [String] = []) -> [String] {
        inputs + ["--queue", queue, "--endpoint", server.endpoint] + extra
    }

    @Test("samples/ delivered: the queue holds exactly the distinct valid ids; a second run sends nothing new")
    func samplesDelivered() async throws {
        let server = try TestServerProcess()
        let dir = try TemporaryDirectory()
        let inputs = ["spans.csv", "traces.csv", "sessions.csv", "examples.ndjson"].map {
            BinaryRunner.samples.appendingPathComponent($0).path
        }
        let env = ["ARIZE_API_KEY": "test-key"]
        let args = importArgs(inputs, server, ["--dataset-id", "RGF0YXNldDo0MjpxYQ=="])
        let first = try BinaryRunner.run("aq-import", args, in: dir.url, environment: env)
        #expect(first.exitCode == 1, "spans.csv has two broken rows: \(first.stderr)")

        let plan = dir.file("plan.ndjson")
        _ = try BinaryRunner.run("aq-import", args + ["--dry-run", "--plan-out", plan.path], in: dir.url)
        // The listing names no project, and session ids repeat across the two projects: compare as lists.
        let expected = try PlanFile(contentsOf: plan).allIDs.map { id -> String in
            let parts = id.split(separator: " ")
            return "\(parts[0]) \(parts[2])"
        }.sorted()
        let stored = try await server.storedIDs().sorted()
        #expect(stored == expected)

        let second = try BinaryRunner.run("aq-import", args, in: dir.url, environment: env)
        #expect(second.exitCode == 1)
        #expect(second.stdout.contains("by an earlier run"))
        let stats = try await server.stats()
        #expect(stats["records_stored_total"] as? Int == expected.count)
    }

    @Test("through 429s, 500s, resets and lost answers every id is delivered, exit 0")
    func faults() async throws {
        let server = try TestServerProcess([
            "--fault", "429=0.2,500=0.1,reset=0.05,lost-ack=0.05", "--latency-ms", "5,3", "--seed", "7",
            "--retry-after", "0",
        ])
        let dir = try TemporaryDirectory()
        let input = dir.file("spans.csv")
        let expected = try SpanExportWriter.write(to: input, count: 6_000)
        let result = try BinaryRunner.run(
            "aq-import",
            importArgs(
                [input.path], server, ["--project-id", "cHJvamVjdA==", "--max-backoff", "0.2", "--max-attempts", "30"]),
            in: dir.url, environment: ["ARIZE_API_KEY": "test-key"])
        #expect(result.exitCode == 0, "\(result.stdout)\n\(result.stderr)")
        // Faults hit GETs too: calm the double before reading its queue back.
        try await server.post("/_control/faults", json: #"{"fault":"none","latency_ms":null}"#)
        let stored = try await server.storedIDs()
        #expect(stored.count == expected.count && Set(stored) == expected, "\(difference(stored, expected))")
        let stats = try await server.stats()
        let faults = stats["faults_injected"] as? [String: Int] ?? [:]
        #expect(faults.values.reduce(0, +) > 0, "no fault was injected: \(stats)")
    }

    @Test("a request rejected for one bad id: only that id rejected, the others delivered, exit 1")
    func bisection() async throws {
        let dir = try TemporaryDirectory()
        let project = "cHJvamVjdA=="
        var spans: [String: String] = [:]
        var csv = "context.span_id,start_time\n"
        for i in 0..<300 {
            let id = String(format: "%016x", 0xabc000 + i)
            spans[id] = "2026-01-15T12:00:00Z"
            csv += "\(id),2026-01-15T12:00:00Z\n"
        }
        csv += "ffffffffffffffff,2026-01-15T12:00:00Z\n"  // not in the catalogue
        try csv.write(to: dir.file("spans.csv"), atomically: true, encoding: .utf8)
        let config: [String: Any] = ["catalogue": ["projects": [project: ["spans": spans]]], "unknown_ids": "reject"]
        try JSONSerialization.data(withJSONObject: config).write(to: dir.file("config.json"))
        let server = try TestServerProcess(["--config", dir.file("config.json").path])

        let result = try BinaryRunner.run(
            "aq-import", importArgs([dir.file("spans.csv").path], server, ["--project-id", project]), in: dir.url,
            environment: ["ARIZE_API_KEY": "test-key"])
        #expect(result.exitCode == 1, "\(result.stdout)\n\(result.stderr)")
        let stored = Set(try await server.storedIDs())
        #expect(stored.count == 300)
        #expect(!stored.contains("SPAN ffffffffffffffff"))
        let rejects = try String(contentsOf: dir.file("server.rejects.ndjson"), encoding: .utf8)
        #expect(rejects.split(separator: "\n").count == 1)
        #expect(rejects.contains("ffffffffffffffff"))
        // And in the input's own format, ready to be fixed and fed back.
        let rows = try String(contentsOf: dir.file("spans.rejects.csv"), encoding: .utf8)
        #expect(rows.hasPrefix("aq_error,aq_file,aq_line,context.span_id,start_time\n"))
        #expect(rows.contains("server answered 422"))
        #expect(rows.contains(",302,ffffffffffffffff,2026-01-15T12:00:00Z"))

        // Reading again rewrites the rejects file: the refused row must come back with it.
        let again = try BinaryRunner.run(
            "aq-import", importArgs([dir.file("spans.csv").path], server, ["--project-id", project]), in: dir.url,
            environment: ["ARIZE_API_KEY": "test-key"])
        #expect(again.exitCode == 1)
        let rowsAgain = try String(contentsOf: dir.file("spans.rejects.csv"), encoding: .utf8)
        #expect(rowsAgain == rows)
        let listAgain = try String(contentsOf: dir.file("server.rejects.ndjson"), encoding: .utf8)
        #expect(listAgain.split(separator: "\n").count == 1)
    }

    @Test("a server that rate-limits is followed, not fled: concurrency 16 against 10 requests a second, exit 0")
    func rateLimited() async throws {
        let server = try TestServerProcess(["--rate-limit", "10"])
        let dir = try TemporaryDirectory()
        let input = dir.file("spans.csv")
        let expected = try SpanExportWriter.write(to: input, count: 20_000)
        let result = try BinaryRunner.run(
            "aq-import", importArgs([input.path], server, ["--project-id", "cHJvamVjdA==", "--concurrency", "16"]),
            in: dir.url, environment: ["ARIZE_API_KEY": "test-key"])
        #expect(result.exitCode == 0, "\(result.stdout)\n\(result.stderr)")
        try await server.post("/_control/faults", json: #"{"rate_limit":null}"#)  // the listing is read too
        let stored = try await server.storedIDs()
        #expect(stored.count == expected.count && Set(stored) == expected, "\(difference(stored, expected))")
        let stats = try await server.stats()
        let byStatus = stats["requests_by_status"] as? [String: Int] ?? [:]
        #expect((byStatus["429"] ?? 0) > 0, "the limit was never reached: \(stats)")
    }

    @Test("401: exit 3, journal intact; the resume with the right key completes")
    func unauthorized() async throws {
        let server = try TestServerProcess()
        let dir = try TemporaryDirectory()
        let input = dir.file("spans.csv")
        let expected = try SpanExportWriter.write(to: input, count: 1_200)
        let args = importArgs([input.path], server, ["--project-id", "cHJvamVjdA==", "--journal", "run.journal"])
        let wrong = try BinaryRunner.run("aq-import", args, in: dir.url, environment: ["ARIZE_API_KEY": "wrong-key-42"])
        #expect(wrong.exitCode == 3)
        #expect(wrong.stderr.contains("ARIZE_API_KEY"))
        #expect(!(wrong.stdout + wrong.stderr).contains("wrong-key-42"))
        #expect(wrong.stderr.contains("run the same command again"))
        let right = try BinaryRunner.run("aq-import", args, in: dir.url, environment: ["ARIZE_API_KEY": "test-key"])
        #expect(right.exitCode == 0, "\(right.stderr)")
        let stored = try await server.storedIDs()
        #expect(stored.count == expected.count && Set(stored) == expected, "\(difference(stored, expected))")
    }

    @Test("404: exit 3 with 'queue not found'; the run with the right queue completes")
    func queueNotFound() async throws {
        let server = try TestServerProcess()
        let dir = try TemporaryDirectory()
        let input = dir.file("spans.csv")
        let expected = try SpanExportWriter.write(to: input, count: 700)
        let env = ["ARIZE_API_KEY": "test-key"]
        let missing = try BinaryRunner.run(
            "aq-import",
            [
                input.path, "--queue", "QW5ub3RhdGlvblF1ZXVlOjk6bm9wZQ==", "--endpoint", server.endpoint,
                "--project-id", "cHJvamVjdA==",
            ],
            in: dir.url, environment: env)
        #expect(missing.exitCode == 3)
        #expect(missing.stderr.contains("queue not found"))
        let right = try BinaryRunner.run(
            "aq-import", importArgs([input.path], server, ["--project-id", "cHJvamVjdA=="]), in: dir.url,
            environment: env)
        #expect(right.exitCode == 0, "\(right.stderr)")
        let stored = try await server.storedIDs()
        #expect(stored.count == expected.count && Set(stored) == expected, "\(difference(stored, expected))")
    }
}
