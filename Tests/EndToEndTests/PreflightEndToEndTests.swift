import Foundation
import Testing

/// Issue 10 item 1: before the first request, a sample of each group's ids is looked up with the
/// read endpoints; a wrong project stops the run with nothing sent. Against the built binaries and
/// the double in catalogue mode (`unknown_ids: ignore`, as the real service treats unknown ids).
@Suite("Preflight: the ids are looked up before anything is sent", .serialized)
struct PreflightEndToEndTests {
    static let queue = TestServerProcess.demoQueue
    static let project = "cHJvamVjdA=="
    static let wrongProject = "d3JvbmctcHJvamVjdA=="

    static func setUp(spans count: Int = 400, serverArguments: [String] = []) throws -> (
        TemporaryDirectory, TestServerProcess
    ) {
        let dir = try TemporaryDirectory()
        let spans = LandedTests.spans(count, seed: 31)
        try LandedTests.writeCatalogue(spans, to: dir.file("config.json"))
        try LandedTests.writeCSV(spans, to: dir.file("spans.csv"))
        let server = try TestServerProcess(["--config", dir.file("config.json").path] + serverArguments)
        return (dir, server)
    }

    static func run(
        _ dir: TemporaryDirectory, _ server: TestServerProcess, project: String = project, _ extra: [String]
    ) throws -> BinaryRunner.Result {
        try BinaryRunner.run(
            "aq-import",
            [
                dir.file("spans.csv").path, "--queue", queue, "--endpoint", server.endpoint, "--project-id", project,
                "--journal", dir.file("j.journal").path, "--summary-json", dir.file("s.json").path,
            ] + extra, in: dir.url, environment: ["ARIZE_API_KEY": "test-key"])
    }

    static func preflight(_ dir: TemporaryDirectory) throws -> [String: Any] {
        try #require(try LandedTests.summary(dir.file("s.json"))["preflight"] as? [String: Any])
    }

    @Test("A wrong project id: the preflight stops, exit 2, and no POST of records reached the double")
    func wrongProjectStopsBeforeSending() async throws {
        let (dir, server) = try Self.setUp()
        let result = try Self.run(dir, server, project: Self.wrongProject, [])
        #expect(result.exitCode == 2, "\(result.stdout)\n\(result.stderr)")
        #expect(
            result.stderr.contains("project \(Self.wrongProject): 0 of 20 sampled span ids found"), "\(result.stderr)")
        #expect(result.stderr.contains("POST /v2/spans in project \(Self.wrongProject) between "))
        #expect(result.stderr.contains("--project-id"))
        #expect(result.stderr.contains("nothing was sent"))
        let stats = try await server.stats()
        #expect(stats["add_records_requests"] as? Int == 0, "\(stats)")
        #expect((stats["read_requests"] as? Int ?? 0) >= 1)
        #expect((stats["records_stored_total"] as? Int) == 0)
        // Stopped before the journal: nothing to resume.
        #expect(!FileManager.default.fileExists(atPath: dir.file("j.journal").path))
        let preflight = try Self.preflight(dir)
        #expect(preflight["passed"] as? Bool == false)
        #expect(result.stdout.contains("Preflight: stopped"), "\(result.stdout)")
    }

    @Test("The right project: every group's line is printed, then the import is delivered")
    func rightProjectPassesAndDelivers() async throws {
        let (dir, server) = try Self.setUp()
        let result = try Self.run(dir, server, [])
        #expect(result.exitCode == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stderr.contains("preflight: project \(Self.project): 20 of 20 sampled span ids found"))
        #expect(
            result.stdout.contains("  project \(Self.project): 20 of 20 sampled span ids found"), "\(result.stdout)")
        let preflight = try Self.preflight(dir)
        #expect(preflight["skipped"] as? Bool == false)
        #expect(preflight["passed"] as? Bool == true)
        let groups = try #require(preflight["groups"] as? [[String: Any]])
        #expect(groups.count == 1)
        #expect(groups.first?["found"] as? Int == 20)
        let stats = try await server.stats()
        #expect(stats["records_stored_total"] as? Int == 400)
    }

    @Test("Under 429, 5xx and reset faults the preflight's reads are retried and it still passes")
    func passesUnderFaults() async throws {
        // 2000 spans over three days: four sources, four look-ups, which meet faults.
        let (dir, server) = try Self.setUp(
            spans: 2000,
            serverArguments: ["--fault", "429=0.25,500=0.15,503=0.1,reset=0.1", "--retry-after", "0", "--seed", "5"])
        let result = try Self.run(dir, server, ["--dry-run", "--check-remote", "--max-backoff", "0.05"])
        #expect(result.exitCode == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stderr.contains("preflight: project \(Self.project): 20 of 20 sampled span ids found"))
        let stats = try await server.stats()
        let faults = stats["faults_injected"] as? [String: Int] ?? [:]
        #expect(faults.values.reduce(0, +) > 0, "no fault was injected: \(stats)")
        #expect(stats["add_records_requests"] as? Int == 0)
        let preflight = try Self.preflight(dir)
        #expect(preflight["passed"] as? Bool == true)
        #expect((preflight["retries"] as? Int ?? 0) > 0, "\(preflight)")
    }

    @Test("--dry-run --check-remote runs the preflight too: a wrong project exits 2")
    func dryRunCheckRemoteRunsIt() async throws {
        let (dir, server) = try Self.setUp()
        let result = try Self.run(dir, server, project: Self.wrongProject, ["--dry-run", "--check-remote"])
        #expect(result.exitCode == 2, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stderr.contains("0 of 20 sampled span ids found"))
        let stats = try await server.stats()
        #expect(stats["add_records_requests"] as? Int == 0)
        // A dry run without --check-remote sends nothing at all, and looks nothing up.
        let offline = try Self.run(dir, server, project: Self.wrongProject, ["--dry-run"])
        #expect(offline.exitCode == 0, "\(offline.stderr)")
        #expect(try LandedTests.summary(dir.file("s.json"))["preflight"] == nil)
    }

    @Test("--no-preflight skips the look-ups, and the summary says so")
    func noPreflightSkips() async throws {
        let (dir, server) = try Self.setUp()
        let result = try Self.run(dir, server, project: Self.wrongProject, ["--no-preflight", "--verify", "never"])
        #expect(result.exitCode != 2, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("Preflight: skipped (--no-preflight)"), "\(result.stdout)")
        let preflight = try Self.preflight(dir)
        #expect(preflight["skipped"] as? Bool == true)
        let stats = try await server.stats()
        #expect((stats["add_records_requests"] as? Int ?? 0) > 0)
        #expect(stats["read_requests"] as? Int == 0, "\(stats)")
    }

    @Test("Traces, sessions and examples are looked up through their own endpoints; a wrong dataset stops the run")
    func tracesSessionsAndExamples() async throws {
        let dir = try TemporaryDirectory()
        let dataset = "RGF0YXNldDo3Nzpxcw=="
        func rfc(_ seconds: Int) -> String {
            ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        }
        let times = (0..<60).map { 1_768_435_200 + $0 * 600 }
        let traces = times.enumerated().map { (String(format: "%032x", 0xBEEF00 + $0.offset), $0.element) }
        let sessions = times.enumerated().map { ("session-\($0.offset)", $0.element) }
        let examples = (0..<50).map { "example-\($0)" }
        let config: [String: Any] = [
            "catalogue": [
                "projects": [
                    Self.project: [
                        "traces": Dictionary(uniqueKeysWithValues: traces.map { ($0.0, rfc($0.1)) }),
                        "sessions": Dictionary(uniqueKeysWithValues: sessions.map { ($0.0, rfc($0.1)) }),
                    ]
                ],
                "datasets": [dataset: examples],
            ],
            "unknown_ids": "ignore",
        ]
        try JSONSerialization.data(withJSONObject: config).write(to: dir.file("config.json"))
        try ("context.trace_id,start_time\n" + traces.map { "\($0.0),\($0.1)" }.joined(separator: "\n") + "\n")
            .write(to: dir.file("traces.csv"), atomically: true, encoding: .utf8)
        try ("attributes.session.id,start_time\n" + sessions.map { "\($0.0),\($0.1)" }.joined(separator: "\n") + "\n")
            .write(to: dir.file("sessions.csv"), atomically: true, encoding: .utf8)
        try (examples.map { #"{"id":"\#($0)"}"# }.joined(separator: "\n") + "\n")
            .write(to: dir.file("examples.ndjson"), atomically: true, encoding: .utf8)
        let server = try TestServerProcess(["--config", dir.file("config.json").path])
        func run(dataset: String) throws -> BinaryRunner.Result {
            try BinaryRunner.run(
                "aq-import",
                [
                    dir.file("traces.csv").path, dir.file("sessions.csv").path, dir.file("examples.ndjson").path,
                    "--queue", Self.queue, "--endpoint", server.endpoint, "--project-id", Self.project,
                    "--dataset-id", dataset, "--dry-run", "--check-remote",
                ], in: dir.url, environment: ["ARIZE_API_KEY": "test-key"])
        }
        let right = try run(dataset: dataset)
        #expect(right.exitCode == 0, "\(right.stdout)\n\(right.stderr)")
        #expect(right.stdout.contains("project \(Self.project): 20 of 20 sampled trace ids found"), "\(right.stdout)")
        #expect(right.stdout.contains("project \(Self.project): 20 of 20 sampled session ids found"))
        #expect(right.stdout.contains("dataset \(dataset): 20 of 20 sampled example ids found"))
        let wrong = try run(dataset: "RGF0YXNldDo5OTpubw==")
        #expect(wrong.exitCode == 2, "\(wrong.stdout)\n\(wrong.stderr)")
        #expect(wrong.stderr.contains("dataset RGF0YXNldDo5OTpubw==: 0 of 20 sampled example ids found"))
        #expect(wrong.stderr.contains("GET /v2/datasets/RGF0YXNldDo5OTpubw%3D%3D/examples"), "\(wrong.stderr)")
        #expect(wrong.stderr.contains("HTTP 404"))
        #expect(wrong.stderr.contains("--dataset-id"))
        let stats = try await server.stats()
        #expect(stats["add_records_requests"] as? Int == 0)
    }
}
