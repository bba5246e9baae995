import Foundation
import Testing

/// Issue 7's security rules through the built binaries: the key never printed, logged, journaled or
/// written to a report at any log level; never sent over plain http to another host unless
/// `--allow-insecure-http`; journal, rejects and summary files private (0600); an edited journal
/// line detected by its checksum and named.
@Suite("Security: the key stays secret, files stay private, the journal is checked", .serialized)
struct SecurityTests {
    static let secret = "AQ-SECRET-9f8e7d"
    static let wrongSecret = "AQ-WRONG-SECRET-5c4b3a"
    static let project = "cHJvamVjdA=="

    /// Every byte the runs left: their output and every file under `dir` except the key file.
    static func leaks(of secrets: [String], outputs: [BinaryRunner.Result], dir: URL, keyFile: URL?) throws -> [String]
    {
        var found: [String] = []
        for (n, output) in outputs.enumerated() {
            for secret in secrets {
                if output.stdout.contains(secret) { found.append("run \(n) stdout holds \(secret)") }
                if output.stderr.contains(secret) { found.append("run \(n) stderr holds \(secret)") }
            }
        }
        let enumerator = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard url.standardizedFileURL != keyFile?.standardizedFileURL,
                (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                let data = FileManager.default.contents(atPath: url.path)
            else { continue }
            for secret in secrets where data.range(of: Data(secret.utf8)) != nil {
                found.append("\(url.lastPathComponent) holds \(secret)")
            }
        }
        return found
    }

    static func mode(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    /// A span export of `count` ids plus one row that is rejected (no timestamp).
    static func input(in dir: TemporaryDirectory, count: Int) throws -> (URL, Set<String>) {
        let url = dir.file("spans.csv")
        let expected = try SpanExportWriter.write(to: url, count: count)
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("badbadbadbad0001,whenever,x\n".utf8))
        try handle.close()
        return (url, expected)
    }

    @Test("at trace level, through a 401, a resumed import with 429s and a dry run, the key is never written anywhere")
    func keyNeverWritten() async throws {
        let server = try TestServerProcess([
            "--api-key", Self.secret, "--fault", "429=0.15,500=0.05", "--retry-after", "0", "--seed", "3",
        ])
        let dir = try TemporaryDirectory()
        let (input, expected) = try Self.input(in: dir, count: 1_500)
        let keyFile = dir.file("key.txt")
        try (Self.secret + "\n").write(to: keyFile, atomically: true, encoding: .utf8)
        let common = [
            input.path, "--queue", TestServerProcess.demoQueue, "--endpoint", server.endpoint, "--project-id",
            Self.project, "--journal", "run.journal", "--summary-json", "summary.json", "--log-level", "trace",
            "--max-backoff", "0.1", "--max-attempts", "30",
        ]
        var outputs: [BinaryRunner.Result] = []

        let wrong = try BinaryRunner.run(
            "aq-import", common, in: dir.url, environment: ["ARIZE_API_KEY": Self.wrongSecret], timeout: 120)
        outputs.append(wrong)
        #expect(wrong.exitCode == 3, "\(wrong.stderr)")
        #expect(wrong.stderr.contains("ARIZE_API_KEY"))

        let right = try BinaryRunner.run(
            "aq-import", common + ["--api-key-file", keyFile.path], in: dir.url, timeout: 180)
        outputs.append(right)
        #expect(right.exitCode == 1, "one row has no timestamp: \(right.stderr)")
        #expect(right.stdout.contains("key.txt") || right.stderr.contains("key.txt"), "the key's source is named")

        let dry = try BinaryRunner.run(
            "aq-import",
            [
                input.path, "--queue", TestServerProcess.demoQueue, "--project-id", Self.project, "--dry-run",
                "--plan-out", "plan.ndjson", "--summary-json", "dry-summary.json", "--rejects", "dry-rejects.csv",
                "--log-level", "trace",
            ],
            in: dir.url, environment: ["ARIZE_API_KEY": Self.secret, "ARIZE_LOG_LEVEL": "trace"], timeout: 120)
        outputs.append(dry)
        #expect(dry.exitCode == 1, "\(dry.stderr)")

        #expect(outputs.contains { $0.stderr.contains("trace") || $0.stderr.contains("debug") }, "trace logging ran")
        for name in ["run.journal", "summary.json", "spans.rejects.csv", "plan.ndjson", "dry-summary.json"] {
            #expect(FileManager.default.fileExists(atPath: dir.file(name).path), "\(name) was written")
        }
        let found = try Self.leaks(
            of: [Self.secret, Self.wrongSecret], outputs: outputs, dir: dir.url, keyFile: keyFile)
        #expect(found.isEmpty, "\(found)")

        try await server.post("/_control/faults", json: #"{"fault":"none"}"#)
        let stored = try await server.get("/_control/stats", key: Self.secret)
        #expect(stored["records_stored_total"] as? Int == expected.count, "\(stored)")
    }

    @Test("journal, rejects and summary files are created with mode 0600")
    func privateFiles() throws {
        let server = try TestServerProcess()
        let dir = try TemporaryDirectory()
        let (input, _) = try Self.input(in: dir, count: 300)
        let result = try BinaryRunner.run(
            "aq-import",
            [
                input.path, "--queue", TestServerProcess.demoQueue, "--endpoint", server.endpoint, "--project-id",
                Self.project, "--summary-json", "summary.json",
            ],
            in: dir.url, environment: ["ARIZE_API_KEY": "test-key", "ARIZE_LOG_LEVEL": "trace"])
        #expect(result.exitCode == 1, "\(result.stderr)")
        let journals = try FileManager.default.contentsOfDirectory(
            at: dir.file(".aq-import"), includingPropertiesForKeys: nil)
        #expect(journals.count == 1)
        for file in journals + [dir.file("spans.rejects.csv"), dir.file("summary.json")] {
            let mode = try Self.mode(file)
            #expect(mode == 0o600, "\(file.lastPathComponent) has mode \(String(mode, radix: 8))")
        }
        let journalDirectory = try Self.mode(dir.file(".aq-import"))
        #expect(journalDirectory & 0o077 == 0, "the journal directory has mode \(String(journalDirectory, radix: 8))")
    }

    @Test("the key is refused over plain http to a host that is not loopback: a message, exit 3, no hang")
    func insecureEndpointRefused() throws {
        let dir = try TemporaryDirectory()
        let (input, _) = try Self.input(in: dir, count: 50)
        // TEST-NET-1: never contacted, since the refusal comes before any connection.
        let started = Date()
        let result = try BinaryRunner.run(
            "aq-import",
            [
                input.path, "--queue", TestServerProcess.demoQueue, "--endpoint", "http://192.0.2.1:9", "--project-id",
                Self.project, "--timeout", "2", "--log-level", "trace",
            ],
            in: dir.url, environment: ["ARIZE_API_KEY": Self.secret], timeout: 60)
        // Refused before anything is read or sent: nothing done.
        #expect(result.exitCode == 2, "\(result.stderr)")
        #expect(result.stderr.contains("refusing to send the API key over plain http to http://192.0.2.1:9"))
        #expect(result.stderr.contains("--allow-insecure-http"))
        #expect(!(result.stdout + result.stderr).contains(Self.secret))
        #expect(Date().timeIntervalSince(started) < 50)
    }

    /// `0.0.0.0` is not a loopback name to aq-import, yet connecting to it reaches this machine: a
    /// stand-in for a remote host that lets the test see what would have been sent.
    @Test("to a non-loopback address nothing reaches the server without --allow-insecure-http, and all does with it")
    func insecureEndpointAgainstDouble() async throws {
        let server = try TestServerProcess(["--api-key", Self.secret])
        let dir = try TemporaryDirectory()
        let (input, expected) = try Self.input(in: dir, count: 200)
        let endpoint = "http://0.0.0.0:\(server.port)"
        let args = [
            input.path, "--queue", TestServerProcess.demoQueue, "--endpoint", endpoint, "--project-id", Self.project,
            "--journal", "run.journal", "--timeout", "5",
        ]
        let env = ["ARIZE_API_KEY": Self.secret]
        let refused = try BinaryRunner.run("aq-import", args, in: dir.url, environment: env, timeout: 60)
        #expect(refused.exitCode == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains("refusing to send the API key over plain http"))
        #expect(try await server.stats()["requests_total"] as? Int == 0)

        let allowed = try BinaryRunner.run(
            "aq-import", args + ["--allow-insecure-http"], in: dir.url, environment: env, timeout: 120)
        #expect(allowed.exitCode == 1, "\(allowed.stderr)")
        let stored = try await server.storedIDs()
        #expect(Set(stored) == expected, "\(difference(stored, expected))")
    }

    @Test("queue names and --check-remote never send the key over plain http to a non-loopback host either")
    func insecureLookups() async throws {
        let server = try TestServerProcess(["--api-key", Self.secret])
        let dir = try TemporaryDirectory()
        let (input, _) = try Self.input(in: dir, count: 20)
        let endpoint = "http://0.0.0.0:\(server.port)"
        let env = ["ARIZE_API_KEY": Self.secret]
        let byName = try BinaryRunner.run(
            "aq-import",
            [
                input.path, "--queue", "demo", "--space", "demo", "--endpoint", endpoint, "--project-id", Self.project,
                "--journal", "run.journal", "--timeout", "5",
            ],
            in: dir.url, environment: env, timeout: 60)
        #expect(byName.exitCode != 0)
        _ = try BinaryRunner.run(
            "aq-import",
            [
                input.path, "--queue", TestServerProcess.demoQueue, "--endpoint", endpoint, "--project-id",
                Self.project,
                "--dry-run", "--check-remote", "--timeout", "5",
            ],
            in: dir.url, environment: env, timeout: 60)
        let requests = try await server.stats()["requests_total"] as? Int
        // Queue lookups and --check-remote run before the sender: they make the same check first.
        #expect(requests == 0, "the key reached a non-loopback http endpoint \(requests ?? -1) times")
    }

    @Test("an edited journal line is detected by its checksum and named: exit 2 with the line number")
    func editedJournal() throws {
        let server = try TestServerProcess()
        let dir = try TemporaryDirectory()
        let input = dir.file("spans.csv")
        _ = try SpanExportWriter.write(to: input, count: 2_000)
        let journal = dir.file("run.journal")
        let args = [
            input.path, "--queue", TestServerProcess.demoQueue, "--endpoint", server.endpoint, "--project-id",
            Self.project, "--journal", journal.path,
        ]
        let env = ["ARIZE_API_KEY": "test-key"]
        let first = try BinaryRunner.run("aq-import", args, in: dir.url, environment: env)
        #expect(first.exitCode == 0, "\(first.stderr)")

        var lines = try String(contentsOf: journal, encoding: .utf8).components(separatedBy: "\n")
        let index = try #require(lines.firstIndex { $0.contains(#""type":"done""#) })
        #expect(index < lines.count - 2, "the edited line is not the last one")
        lines[index] = lines[index].replacingOccurrences(of: #""id":""#, with: #""id":"f"#)
        try lines.joined(separator: "\n").write(to: journal, atomically: true, encoding: .utf8)

        let second = try BinaryRunner.run("aq-import", args, in: dir.url, environment: env)
        #expect(second.exitCode == 2, "\(second.stderr)")
        #expect(second.stderr.contains("line \(index + 1)"), "\(second.stderr)")
        #expect(second.stderr.contains("checksum"))
        #expect(second.stderr.contains("run.journal"))
    }
}
