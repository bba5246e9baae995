import Foundation
import Testing

/// What the person running an import sees and does: Ctrl-C and resume, status, queue names, fixing rejects.
@Suite("aq-import for the operator", .serialized)
struct OperatorTests {
    let queue = TestServerProcess.demoQueue
    let env = ["ARIZE_API_KEY": "test-key"]

    /// Starts aq-import without waiting for it.
    func launch(_ arguments: [String], in dir: URL) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = BinaryRunner.executable("aq-import")
        process.arguments = arguments
        process.currentDirectoryURL = dir
        var environment = ProcessInfo.processInfo.environment
        environment.merge(env) { _, new in new }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    /// Polls without suspending: other tests block the cooperative pool's few threads while their
    /// processes run, and a suspended poller could wake only after the import it watches has ended.
    func waitUntil(seconds: Double = 60, _ condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() && Date() < deadline { usleep(10_000) }
    }

    func journalLines(_ url: URL) -> [[String: Any]] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test("Ctrl-C: stops after the requests in flight, exits 130, prints the command; that command resumes to the end")
    func interruptAndResume() async throws {
        let server = try TestServerProcess(["--latency-ms", "250"])
        let dir = try TemporaryDirectory()
        let input = dir.file("spans.csv")
        // 40 requests of 250 ms one at a time: ten seconds in which to interrupt, even on a loaded machine.
        let expected = try SpanExportWriter.write(to: input, count: 20_000)
        let journal = dir.file("run.journal")
        let args = [
            input.path, "--queue", queue, "--endpoint", server.endpoint, "--project-id", "cHJvamVjdA==",
            "--concurrency", "1", "--journal", journal.path,
        ]
        let (process, out, err) = try launch(args, in: dir.url)
        // Wait until a request is done, then interrupt.
        waitUntil { journalLines(journal).contains(where: { $0["type"] as? String == "done" }) }
        kill(process.processIdentifier, SIGINT)
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "\(stderr)")
        #expect(stdout.contains("Delivery: interrupted"))
        #expect(stderr.contains("To resume, run the same command again"))
        #expect(stderr.contains("--journal"))
        let stored = try await server.storedIDs()
        #expect(stored.count < expected.count, "the interrupt came too late to test anything")

        let status = try BinaryRunner.run("aq-import", ["status", journal.path], in: dir.url)
        #expect(status.exitCode == 0)
        #expect(status.stdout.contains("pending, of 40 planned"))
        #expect(status.stdout.contains("not finished (resumable)"))
        #expect(status.stdout.contains("resume with:"))

        let resumed = try BinaryRunner.run("aq-import", args, in: dir.url, environment: env)
        #expect(resumed.exitCode == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("by an earlier run"))
        let all = try await server.storedIDs()
        #expect(all.count == expected.count && Set(all) == expected, "\(difference(all, expected))")
    }

    @Test("Ctrl-C while reading exits 130 at once: nothing was sent")
    func interruptWhileReading() async throws {
        let dir = try TemporaryDirectory()
        let process = Process()
        process.executableURL = BinaryRunner.executable("aq-import")
        process.arguments = ["-", "--format", "csv", "--queue", queue, "--project-id", "p", "--dry-run"]
        process.currentDirectoryURL = dir.url
        let input = Pipe()
        let err = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        input.fileHandleForWriting.write(Data("span_id,start_time\nabc,2026-01-15T00:00:00Z\n".utf8))
        usleep(500_000)  // stdin stays open: it is reading
        kill(process.processIdentifier, SIGINT)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        #expect(process.terminationStatus == 130)
        #expect(stderr.contains("before anything was sent"))
    }

    @Test("Ctrl-C while reading keeps the rows rejected so far and leaves no temporary file")
    func interruptWhileReadingKeepsRejects() async throws {
        let dir = try TemporaryDirectory()
        let process = Process()
        process.executableURL = BinaryRunner.executable("aq-import")
        process.arguments = [
            "-", "--format", "csv", "--queue", queue, "--project-id", "p", "--dry-run", "--rejects", "bad.csv",
            "--max-rejects", "100%",
        ]
        process.currentDirectoryURL = dir.url
        let input = Pipe()
        let err = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        // Rows reach the rejects in batches of 8,192: enough bad rows for two batches.
        var rows = "span_id,start_time\nabc,2026-01-15T00:00:00Z\n"
        for _ in 0..<20_000 { rows += ",2026-01-15T00:00:00Z\n" }
        input.fileHandleForWriting.write(Data(rows.utf8))
        // stdin stays open: it is reading. Wait until rejects are in the temporary file.
        func temporaries() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: dir.url.path)) ?? []).filter {
                $0.contains(".aq-tmp-")
            }
        }
        func temporaryLines() -> Int {
            temporaries().first.flatMap { try? String(contentsOf: dir.file($0), encoding: .utf8) }
                .map { $0.split(separator: "\n").count } ?? 0
        }
        let deadline = Date().addingTimeInterval(60)
        while temporaryLines() < 8_000 && Date() < deadline { usleep(20_000) }
        let before = temporaryLines()
        #expect(before >= 8_000, "the rejects are written while reading")
        kill(process.processIdentifier, SIGINT)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        #expect(process.terminationStatus == 130)
        #expect(stderr.contains("before anything was sent; the rows rejected so far are in "), "\(stderr)")
        #expect(stderr.contains("/bad.csv"), "\(stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.url.path)
        #expect(names == ["bad.csv"], "\(names)")
        let rejects = try String(contentsOf: dir.file("bad.csv"), encoding: .utf8)
        let lines = rejects.split(separator: "\n")
        #expect(rejects.hasSuffix("\n"))
        #expect(lines.count >= before && lines.count <= 20_001)
        #expect(lines.first == "aq_error,aq_file,aq_line,span_id,start_time")
        #expect(lines.dropFirst().allSatisfy { $0.hasSuffix(",2026-01-15T00:00:00Z") && $0.contains(",<stdin>,") })
    }

    @Test("SIGTERM stops like Ctrl-C; a second signal stops at once and the journal still reads back")
    func sigtermThenSecondSignal() async throws {
        let server = try TestServerProcess(["--latency-ms", "3000"])
        let dir = try TemporaryDirectory()
        let input = dir.file("spans.csv")
        _ = try SpanExportWriter.write(to: input, count: 5_000)
        let args = [input.path, "--queue", queue, "--endpoint", server.endpoint, "--project-id", "cHJvamVjdA=="]
        let (process, _, err) = try launch(args, in: dir.url)
        // The default journal, under ./.aq-import/.
        func journal() -> URL? {
            let folder = dir.file(".aq-import")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return names.first { $0.hasSuffix(".journal") }.map { folder.appendingPathComponent($0) }
        }
        waitUntil { (journal().map(journalLines) ?? []).contains(where: { $0["type"] as? String == "sent" }) }
        // A request journaled as sent may not be on the wire yet: wait until the double holds one.
        let deadline = Date().addingTimeInterval(60)
        while (try await server.stats()["in_flight"] as? Int ?? 0) == 0 && Date() < deadline {
            usleep(10_000)
        }
        kill(process.processIdentifier, SIGTERM)
        usleep(200_000)
        kill(process.processIdentifier, SIGINT)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "\(stderr)")
        #expect(stderr.contains("stopping after the requests in flight"))
        #expect(stderr.contains("interrupted again"))
        let status = try BinaryRunner.run("aq-import", ["status"], in: dir.url)
        #expect(status.exitCode == 0, "\(status.stderr)")
        #expect(status.stdout.contains(".aq-import/"))
        #expect(status.stdout.contains("not finished (resumable)"))
        #expect(status.stdout.contains("resume with:"))
    }

    @Test("a queue given by name and space resolves; a wrong name lists the nearest names")
    func queueNames() async throws {
        let server = try TestServerProcess()
        let dir = try TemporaryDirectory()
        let input = BinaryRunner.samples.appendingPathComponent("traces.csv").path
        let ok = try BinaryRunner.run(
            "aq-import", [input, "--queue", "demo", "--space", "demo", "--endpoint", server.endpoint], in: dir.url,
            environment: env)
        #expect(ok.exitCode == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains(queue))
        let wrong = try BinaryRunner.run(
            "aq-import", [input, "--queue", "Demo", "--space", "demo", "--endpoint", server.endpoint, "--dry-run"],
            in: dir.url, environment: env)
        #expect(wrong.exitCode == 2)
        #expect(wrong.stderr.contains("\"demo\""))
        let noSpace = try BinaryRunner.run(
            "aq-import", [input, "--queue", "demo", "--endpoint", server.endpoint, "--dry-run"], in: dir.url,
            environment: env)
        #expect(noSpace.exitCode == 2)
        #expect(noSpace.stderr.contains("--space"))
    }

    @Test("--dry-run --check-remote: the key works and the queue exists, with reads only")
    func checkRemote() async throws {
        let server = try TestServerProcess()
        let dir = try TemporaryDirectory()
        let input = BinaryRunner.samples.appendingPathComponent("traces.csv").path
        let base = [input, "--endpoint", server.endpoint, "--dry-run", "--check-remote"]
        let ok = try BinaryRunner.run("aq-import", base + ["--queue", queue], in: dir.url, environment: env)
        #expect(ok.exitCode == 0, "\(ok.stderr)")
        #expect(ok.stderr.contains("exists"))
        let badKey = try BinaryRunner.run(
            "aq-import", base + ["--queue", queue], in: dir.url, environment: ["ARIZE_API_KEY": "nope"])
        #expect(badKey.exitCode == 2)
        #expect(badKey.stderr.contains("ARIZE_API_KEY"))
        let stats = try await server.stats()
        #expect((stats["records_stored_total"] as? Int) == 0)
    }

    @Test("the rejects file is the input's own format: fixed, it imports cleanly")
    func fixRejectsAndReimport() async throws {
        let server = try TestServerProcess()
        let dir = try TemporaryDirectory()
        let args = [
            BinaryRunner.samples.appendingPathComponent("spans.csv").path, "--queue", queue, "--endpoint",
            server.endpoint,
        ]
        let first = try BinaryRunner.run("aq-import", args, in: dir.url, environment: env)
        #expect(first.exitCode == 1)
        let rejects = dir.file("spans.rejects.csv")
        var text = try String(contentsOf: rejects, encoding: .utf8)
        #expect(text.hasPrefix("aq_error,aq_file,aq_line,"))
        // The user's fix: give the row without an id one, and the unreadable time a real one.
        text = text.replacingOccurrences(
            of: ",,62cf28c809ed96da91d5ff42d0399335", with: ",00000000feedf00d,62cf28c809ed96da91d5ff42d0399335")
        text = text.replacingOccurrences(of: "last tuesday", with: "2026-01-06 22:55:42.000001")
        let fixed = dir.file("fixed.csv")
        try text.write(to: fixed, atomically: true, encoding: .utf8)
        let second = try BinaryRunner.run(
            "aq-import", [fixed.path, "--queue", queue, "--endpoint", server.endpoint], in: dir.url, environment: env)
        #expect(second.exitCode == 0, "\(second.stdout)\n\(second.stderr)")
        #expect(second.stdout.contains("rows 2, records 2"))
        let stored = try await server.storedIDs()
        #expect(stored.contains("SPAN 00000000feedf00d"))
    }

    @Test("--help shows three examples and the exit codes; --version answers")
    func help() throws {
        let dir = try TemporaryDirectory()
        let help = try BinaryRunner.run("aq-import", ["import", "--help"], in: dir.url)
        #expect(help.exitCode == 0)
        #expect(help.stdout.contains("EXAMPLES"))
        #expect(help.stdout.contains("--dataset-id"))
        #expect(help.stdout.contains("Resume"))
        #expect(help.stdout.contains("130"))
        let version = try BinaryRunner.run("aq-import", ["--version"], in: dir.url)
        #expect(version.exitCode == 0)
        #expect(!version.stdout.isEmpty)
        let completion = try BinaryRunner.run("aq-import", ["--generate-completion-script", "bash"], in: dir.url)
        #expect(completion.exitCode == 0)
        #expect(completion.stdout.contains("aq-import"))
    }
}
