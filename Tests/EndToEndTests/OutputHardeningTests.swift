import Foundation
import Testing

/// Issue 13's hostile flags and paths through the built binary: outputs never destroy what is there,
/// the key never goes in the clear to a name that only looks like loopback, numeric flags are refused
/// by range before anything is written, names reach the terminal escaped, a stop ends a --rate wait.
@Suite("Hardening: outputs, loopback, numeric flags, terminal text", .serialized)
struct OutputHardeningTests {
    let queue = TestServerProcess.demoQueue
    let project = "cHJvamVjdA=="
    let env = ["ARIZE_API_KEY": "test-key"]

    func traces(in dir: TemporaryDirectory) throws -> URL {
        let url = dir.file("traces.csv")
        try FileManager.default.copyItem(at: BinaryRunner.samples.appendingPathComponent("traces.csv"), to: url)
        return url
    }

    func fileType(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
    }

    @Test("names that start like loopback are not: the key is refused plain http, even through HTTP_PROXY")
    func loopbackLookalikes() async throws {
        let server = try TestServerProcess()
        let dir = try TemporaryDirectory()
        let input = try traces(in: dir)
        var environment = env
        // What reached the double before: the request went through the proxy, key and all.
        environment["HTTP_PROXY"] = server.endpoint
        environment["http_proxy"] = server.endpoint
        for host in ["127.0.0.1.evil.test:80", "127.9.evil.test", "localhost.evil.test", "0127.0.0.1"] {
            let endpoint = "http://\(host)"
            for extra in [["--journal", "run.journal"], ["--dry-run", "--check-remote"]] {
                let result = try BinaryRunner.run(
                    "aq-import", [input.path, "--queue", queue, "--endpoint", endpoint, "--timeout", "5"] + extra,
                    in: dir.url, environment: environment, timeout: 60)
                #expect(result.exitCode == 2, "\(host) \(extra): \(result.stderr)")
                #expect(result.stderr.contains("refusing to send the API key over plain http"), "\(host)")
            }
            let byName = try BinaryRunner.run(
                "aq-import",
                [
                    input.path, "--queue", "demo", "--space", "demo", "--endpoint", endpoint, "--dry-run", "--timeout",
                    "5",
                ],
                in: dir.url, environment: environment, timeout: 60)
            #expect(byName.exitCode == 2, "\(host): \(byName.stderr)")
        }
        #expect(try await server.stats()["requests_total"] as? Int == 0)
        #expect(!FileManager.default.fileExists(atPath: dir.file("run.journal").path))
    }

    @Test("numeric flags out of range are refused naming the flag (exit 2) before any journal is written")
    func numericFlags() throws {
        let dir = try TemporaryDirectory()
        let input = try traces(in: dir)
        let cases: [([String], String)] = [
            (["--max-backoff", "inf"], "--max-backoff takes 0 to 86400 seconds, not inf"),
            (["--max-backoff", "1e300"], "--max-backoff takes 0 to 86400 seconds"),
            (["--timeout", "inf"], "--timeout takes 0.001 to 86400 seconds, not inf"),
            (["--timeout", "1e300"], "--timeout takes 0.001 to 86400 seconds"),
            (["--rate", "1e-300"], "--rate takes 0.001 to 100000 requests a second"),
            (["--rate", "nan"], "--rate takes 0.001 to 100000 requests a second, not nan"),
            (["--concurrency", "-1"], "--concurrency takes 1 to 256 requests in flight, not -1"),
            (["--concurrency=0"], "--concurrency takes 1 to 256"),
            (["--max-attempts", "-3"], "--max-attempts takes 1 to 1000 attempts, not -3"),
            (["--max-rejects", "-1"], "--max-rejects <max-rejects>': a whole number of rows from 0, or a percentage"),
            (["--max-rejects", "101%"], "a percentage from 0% to 100%"),
            (["--sample", "-5"], "--sample takes 1 to 1000000000000 records (or units), or P% above 0 up to 100"),
            (["--sample", "-5%"], "--sample takes 1 to 1000000000000"),
            (["--stratify-by", "x", "--per-stratum", "-1"], "--per-stratum takes 1 to 1000000000000"),
            (["--seed", "-1"], "--seed takes a whole number from 0 to 18446744073709551615, not -1"),
        ]
        for (flags, message) in cases {
            let result = try BinaryRunner.run(
                "aq-import",
                [input.path, "--queue", queue, "--endpoint", "http://127.0.0.1:9", "--journal", "run.journal"] + flags,
                in: dir.url, environment: env, timeout: 60)
            #expect(result.exitCode == 2, "\(flags): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(flags): \(result.stderr)")
            #expect(!result.stderr.contains("Missing value"), "\(flags)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("run.journal").path))
        #expect(!FileManager.default.fileExists(atPath: dir.file(".aq-import").path))
    }

    @Test("an output path that is a fifo, a device or a directory is refused (exit 2) and left as it was")
    func outputsThatAreNotFiles() throws {
        let dir = try TemporaryDirectory()
        let input = try traces(in: dir)
        let fifo = dir.file("out.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let folder = dir.file("folder")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        let base = [input.path, "--queue", queue, "--dry-run"]
        let cases: [[String]] = [
            ["--rejects", fifo], ["--plan-out", fifo], ["--summary-json", fifo], ["--plan-out", folder.path],
            ["--summary-json", folder.path], ["--plan-out", "/dev/null"], ["--rejects", "/dev/null"],
            ["--summary-json", "/dev/stdout"], ["--plan-out", "/dev/stderr"], ["--rejects", "-"],
            ["--plan-out", "-", "--summary-json", "-"],
            ["--summary-json", dir.file("no/such/dir/s.json").path],
        ]
        for flags in cases {
            // A fifo opened for writing with no reader would block: the timeout catches that.
            let result = try BinaryRunner.run("aq-import", base + flags, in: dir.url, environment: env, timeout: 60)
            #expect(result.exitCode == 2, "\(flags): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(flags): nothing was planned")
        }
        #expect(fileType(fifo) == S_IFIFO)
        #expect(fileType("/dev/null") == S_IFCHR)
        #expect(fileType("/dev/stdout") == S_IFLNK)
        #expect(fileType("/dev/stderr") == S_IFLNK)
        #expect(fileType(folder.path) == S_IFDIR)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("- is standard output for --plan-out and --summary-json; the text summary then goes to stderr")
    func dashIsStandardOutput() throws {
        let dir = try TemporaryDirectory()
        let input = try traces(in: dir)
        let plan = try BinaryRunner.run(
            "aq-import", [input.path, "--queue", queue, "--dry-run", "--plan-out", "-"], in: dir.url, environment: env)
        #expect(plan.exitCode == 0, "\(plan.stderr)")
        let lines = plan.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["request_id"] is String)
        }
        #expect(plan.stderr.contains("Dry run for queue"))
        let summary = try BinaryRunner.run(
            "aq-import", [input.path, "--queue", queue, "--dry-run", "--summary-json", "-"], in: dir.url,
            environment: env)
        #expect(summary.exitCode == 0, "\(summary.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(summary.stdout.utf8)) as? [String: Any]
        #expect(object?["queue_id"] as? String == queue)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["traces.csv"])
    }

    @Test("a rejects file that is a link is replaced by the file; what it named is untouched")
    func rejectsOverALink() throws {
        let dir = try TemporaryDirectory()
        let input = dir.file("spans.csv")
        try "context.span_id,start_time\nabcdefabcdef0001,2026-01-15T00:00:00Z\nabcdefabcdef0002,never\n".write(
            to: input, atomically: true, encoding: .utf8)
        let precious = dir.file("precious.txt")
        try "keep me\n".write(to: precious, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir.file("r.csv").path, withDestinationPath: precious.path)
        let result = try BinaryRunner.run(
            "aq-import", [input.path, "--queue", queue, "--project-id", project, "--dry-run", "--rejects", "r.csv"],
            in: dir.url, environment: env)
        #expect(result.exitCode == 1, "\(result.stderr)")
        #expect(try String(contentsOf: precious, encoding: .utf8) == "keep me\n")
        #expect(fileType(dir.file("r.csv").path) == S_IFREG)
        #expect(try String(contentsOf: dir.file("r.csv"), encoding: .utf8).contains("abcdefabcdef0002"))
    }

    @Test("a file name with control characters reaches the terminal escaped")
    func controlCharactersInNames() throws {
        let dir = try TemporaryDirectory()
        let name = "evil\u{1B}[2J\u{1B}]0;owned\u{07}\u{9B}31m.csv"
        let input = dir.file(name)
        try "context.span_id,start_time\nabcdefabcdef0001,2026-01-15T00:00:00Z\nabcdefabcdef0002,never\n".write(
            to: input, atomically: true, encoding: .utf8)
        let result = try BinaryRunner.run(
            "aq-import", [name, "--queue", queue, "--project-id", project, "--dry-run", "--rejects", "r.csv"],
            in: dir.url, environment: env)
        #expect(result.exitCode == 1, "\(result.stderr)")
        let missing = try BinaryRunner.run(
            "aq-import", ["gone\u{1B}[31m.csv", "--queue", queue, "--dry-run"], in: dir.url, environment: env)
        #expect(missing.exitCode == 2)
        for output in [result.stdout, result.stderr, missing.stderr] {
            #expect(!output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B })
        }
        #expect(result.stdout.contains("evil\\u{1B}[2J"))
        #expect(missing.stderr.contains("gone\\u{1B}[31m.csv"))
    }

    @Test("SIGTERM while requests wait on --rate: they end at once, not after the grace period")
    func stopEndsTheRateWait() async throws {
        let server = try TestServerProcess()
        let dir = try TemporaryDirectory()
        let input = dir.file("spans.csv")
        _ = try SpanExportWriter.write(to: input, count: 5_000)
        // The preflight's look-ups are paced by --rate too, and these ids are not in the double's catalogue.
        let help = try BinaryRunner.run("aq-import", ["import", "--help"], in: dir.url)
        let noPreflight = help.stdout.contains("--no-preflight") ? ["--no-preflight"] : []
        let process = Process()
        process.executableURL = BinaryRunner.executable("aq-import")
        process.arguments =
            [
                input.path, "--queue", queue, "--endpoint", server.endpoint, "--project-id", project, "--journal",
                "run.journal", "--rate", "0.001", "--concurrency", "4", "--log-level", "notice",
            ] + noPreflight
        process.currentDirectoryURL = dir.url
        var environment = ProcessInfo.processInfo.environment
        environment.merge(env) { _, new in new }
        process.environment = environment
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // The first request goes at once; the next is booked 1,000 s later.
        let deadline = Date().addingTimeInterval(60)
        while (try await server.storedIDs()).isEmpty && Date() < deadline { usleep(20_000) }
        kill(process.processIdentifier, SIGTERM)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "\(stderr)")
        #expect(stderr.contains("stopping after the requests in flight"))
        // Before, the waiting requests were still running when the grace period ran out.
        #expect(!stderr.contains("grace period over"), "\(stderr)")
    }

    @Test("a queue given by name says what it looks up, and a 404 is said once")
    func lookupsAreSaidAndErrorsOnce() throws {
        let server = try TestServerProcess()
        let dir = try TemporaryDirectory()
        let input = try traces(in: dir)
        let named = try BinaryRunner.run(
            "aq-import",
            [input.path, "--queue", "demo", "--space", "demo", "--endpoint", server.endpoint, "--dry-run"],
            in: dir.url, environment: env)
        #expect(named.exitCode == 0, "\(named.stderr)")
        #expect(named.stderr.contains("looking up the space named \"demo\""))
        #expect(named.stderr.contains("looking up the queue named \"demo\""))
        let missing = try BinaryRunner.run(
            "aq-import",
            [
                input.path, "--queue", "QW5ub3RhdGlvblF1ZXVlOjE6bm9wZQ==", "--endpoint", server.endpoint, "--journal",
                "j",
            ],
            in: dir.url, environment: env)
        #expect(missing.exitCode == 3, "\(missing.stderr)")
        let said = missing.stderr.components(separatedBy: "queue not found").count - 1
        #expect(said == 1, "\(missing.stderr)")
    }
}
