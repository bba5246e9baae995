import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Issue 10 items 2-4 and 6: every id reconciled with what the queue holds (created by the import,
/// already there, not found), `aq-import verify` and `aq-import undo`, against the built binaries
/// and the double.
@Suite("Landed: reconcile, verify, undo", .serialized)
struct LandedTests {
    static let queue = TestServerProcess.demoQueue
    static let project = "cHJvamVjdA=="

    /// `count` distinct 16-hex span ids with their start times (epoch seconds, over three days).
    static func spans(_ count: Int, seed: UInt64) -> [(id: String, seconds: Int)] {
        var random = KillResumeTests.Random(state: seed)
        var seen = Set<String>()
        var out: [(String, Int)] = []
        while out.count < count {
            let id = String(random.next(), radix: 16).leftPadded(to: 16)
            guard seen.insert(id).inserted else { continue }
            out.append((id, 1_768_435_200 + Int(random.next() % (3 * 86_400))))
        }
        return out
    }

    static func writeCSV(_ spans: [(id: String, seconds: Int)], to url: URL) throws {
        var text = "context.span_id,start_time\n"
        for span in spans { text += "\(span.id),\(span.seconds)\n" }
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// A config whose catalogue knows `known` (and nothing else) in the test project; unknown ids ignored.
    static func writeCatalogue(_ known: [(id: String, seconds: Int)], to url: URL) throws {
        let spans = Dictionary(
            uniqueKeysWithValues: known.map {
                ($0.id, ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval($0.seconds))))
            })
        let config: [String: Any] = [
            "catalogue": ["projects": [project: ["spans": spans]]], "unknown_ids": "ignore",
        ]
        try JSONSerialization.data(withJSONObject: config).write(to: url)
    }

    static func importArgs(_ input: URL, _ server: TestServerProcess, journal: URL, _ extra: [String] = []) -> [String]
    {
        [
            input.path, "--queue", queue, "--endpoint", server.endpoint, "--project-id", project, "--journal",
            journal.path, "--quiet",
        ] + extra
    }

    static func run(_ arguments: [String], in dir: TemporaryDirectory) throws -> BinaryRunner.Result {
        try BinaryRunner.run("aq-import", arguments, in: dir.url, environment: ["ARIZE_API_KEY": "test-key"])
    }

    /// Seeds the queue with `ids` as records already there before the import (not in the /v2 stats).
    static func seed(_ ids: [(id: String, seconds: Int)], on server: TestServerProcess) async throws {
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            let start = chunk.map(\.seconds).min()! - 1
            let end = chunk.map(\.seconds).max()! + 1
            func rfc(_ s: Int) -> String {
                ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(s)))
            }
            let idList = chunk.map { "\"\($0.id)\"" }.joined(separator: ",")
            try await server.post(
                "/_control/queues/\(queue.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)/records",
                json:
                    #"{"record_sources":[{"record_type":"SPAN","project_id":"\#(project)","start_time":"\#(rfc(start))","end_time":"\#(rfc(end))","span_ids":[\#(idList)]}]}"#
            )
        }
    }

    static func summary(_ url: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
    }

    /// The first column of a CSV's data rows.
    static func firstColumn(_ url: URL, skipping prefixColumns: Int = 0) throws -> [String] {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
        return lines.map { String($0.split(separator: ",", omittingEmptySubsequences: false)[prefixColumns]) }
    }

    @Test(
        "600 of 1300 ids known: created 600, not found exactly the other 700, in the rejects file with the reason; exit 1"
    )
    func halfUnknown() async throws {
        let dir = try TemporaryDirectory()
        let all = Self.spans(1300, seed: 11)
        let known = Array(all.prefix(600))
        try Self.writeCatalogue(known, to: dir.file("config.json"))
        let server = try TestServerProcess(["--config", dir.file("config.json").path])
        try Self.writeCSV(all, to: dir.file("spans.csv"))
        let result = try Self.run(
            Self.importArgs(
                dir.file("spans.csv"), server, journal: dir.file("j.journal"),
                ["--no-preflight", "--summary-json", dir.file("s.json").path]), in: dir)
        #expect(result.exitCode == 1, "\(result.stdout)\n\(result.stderr)")
        let verification = try #require(try Self.summary(dir.file("s.json"))["verification"] as? [String: Any])
        #expect(verification["created"] as? Int == 600)
        #expect(verification["not_found"] as? Int == 700)
        #expect(verification["already_present"] as? Int == 0)
        #expect(verification["listed"] as? Bool == true)
        // The rejects file (aq_error, aq_file, aq_line, then the input's columns) holds exactly the 700.
        let rejects = try String(contentsOf: dir.file("spans.rejects.csv"), encoding: .utf8)
        let rejectedIDs = Set(
            rejects.split(separator: "\n").dropFirst().compactMap { line in
                line.split(separator: ",").first { $0.count == 16 && $0.allSatisfy(\.isHexDigit) }.map(String.init)
            })
        #expect(rejectedIDs == Set(all.dropFirst(600).map(\.id)))
        #expect(rejects.contains("not found in project \(Self.project) between "))
        #expect(result.stdout.contains("not found by the server 700"), "\(result.stdout)")
        // The issue's defect: the 700 dropped ids were reported as already in the queue.
        #expect(!result.stdout.contains("already in the queue 700"), "\(result.stdout)")
    }

    @Test("A wrong project: none of the ids found is said in one line at the top of the summary")
    func noneFound() async throws {
        let dir = try TemporaryDirectory()
        let all = Self.spans(300, seed: 12)
        try Self.writeCatalogue([], to: dir.file("config.json"))
        let server = try TestServerProcess(["--config", dir.file("config.json").path])
        try Self.writeCSV(all, to: dir.file("spans.csv"))
        let result = try Self.run(
            Self.importArgs(dir.file("spans.csv"), server, journal: dir.file("j.journal"), ["--no-preflight"]),
            in: dir)
        #expect(result.exitCode == 1)
        let top = result.stdout.split(separator: "\n").prefix(5).joined(separator: "\n")
        #expect(top.contains("NONE of the 300 span ids of project \(Self.project) were found"), "\(result.stdout)")
    }

    @Test("Ids already queued before the import count as already present, and undo leaves them")
    func alreadyQueuedThenUndo() async throws {
        let dir = try TemporaryDirectory()
        let server = try TestServerProcess()
        let all = Self.spans(1300, seed: 13)
        let before = Array(all.suffix(100))
        try await Self.seed(before, on: server)
        try Self.writeCSV(all, to: dir.file("spans.csv"))
        let journal = dir.file("j.journal")
        let result = try Self.run(
            Self.importArgs(
                dir.file("spans.csv"), server, journal: journal, ["--summary-json", dir.file("s.json").path]), in: dir)
        #expect(result.exitCode == 0, "\(result.stdout)\n\(result.stderr)")
        let verification = try #require(try Self.summary(dir.file("s.json"))["verification"] as? [String: Any])
        #expect(verification["created"] as? Int == 1200)
        #expect(verification["already_present"] as? Int == 100)
        #expect(verification["not_found"] as? Int == 0)

        let dry = try Self.run(["undo", journal.path, "--endpoint", server.endpoint, "--dry-run"], in: dir)
        #expect(dry.exitCode == 0 && dry.stdout.contains("Would delete 1200 record(s)"), "\(dry.stdout)\(dry.stderr)")
        let refused = try Self.run(["undo", journal.path, "--endpoint", server.endpoint], in: dir)
        #expect(refused.exitCode == 2 && refused.stderr.contains("--yes"))
        #expect(try await server.storedIDs().count == 1300)

        let undo = try Self.run(["undo", journal.path, "--endpoint", server.endpoint, "--yes"], in: dir)
        #expect(undo.exitCode == 0, "\(undo.stdout)\n\(undo.stderr)")
        #expect(Set(try await server.storedIDs()) == Set(before.map { "SPAN \($0.id)" }))
        let deletes = try await server.stats()["delete_records_requests"] as? Int
        #expect(deletes == 12)

        // Again: a no-op that sends nothing.
        let again = try Self.run(["undo", journal.path, "--endpoint", server.endpoint, "--yes"], in: dir)
        #expect(again.exitCode == 0 && again.stdout.contains("already undone"))
        #expect(try await server.stats()["delete_records_requests"] as? Int == 12)
        let status = try Self.run(["status", journal.path], in: dir)
        #expect(status.stdout.contains("UNDONE"), "\(status.stdout)")

        // The same import again is a new import.
        let reimport = try Self.run(
            Self.importArgs(
                dir.file("spans.csv"), server, journal: journal, ["--summary-json", dir.file("s2.json").path]), in: dir)
        #expect(reimport.exitCode == 0, "\(reimport.stdout)\n\(reimport.stderr)")
        #expect(try await server.storedIDs().count == 1300)
        let again2 = try #require(try Self.summary(dir.file("s2.json"))["verification"] as? [String: Any])
        #expect(again2["created"] as? Int == 1200)
    }

    @Test("Lost answers: every id reconciled as created after the run, and undo empties the queue")
    func lostAcks() async throws {
        let dir = try TemporaryDirectory()
        let server = try TestServerProcess(["--seed", "5", "--fault", "lost-ack=0.4"])
        let all = Self.spans(2000, seed: 14)
        try Self.writeCSV(all, to: dir.file("spans.csv"))
        let journal = dir.file("j.journal")
        let result = try Self.run(
            Self.importArgs(
                dir.file("spans.csv"), server, journal: journal,
                ["--summary-json", dir.file("s.json").path, "--max-backoff", "0.05"]), in: dir)
        #expect(result.exitCode == 0, "\(result.stdout)\n\(result.stderr)")
        let verification = try #require(try Self.summary(dir.file("s.json"))["verification"] as? [String: Any])
        #expect(verification["created"] as? Int == 2000)
        #expect(verification["already_present"] as? Int == 0)
        #expect(verification["listed"] as? Bool == true)
        // Issue 13: status after lost answers shows all three counts, not only what the 201s said.
        let status = try Self.run(["status", journal.path], in: dir)
        #expect(
            status.stdout.contains("created by this import 2000, already in the queue 0, not found 0"),
            "\(status.stdout)")
        try await server.post("/_control/faults", json: #"{"fault":"none"}"#)
        let undo = try Self.run(["undo", journal.path, "--endpoint", server.endpoint, "--yes"], in: dir)
        #expect(undo.exitCode == 0, "\(undo.stdout)\n\(undo.stderr)")
        #expect(try await server.storedIDs().isEmpty)
    }

    @Test("--verify always reads the queue while it fills: lost answers and ids queued before settled exactly")
    func verifyAlwaysFollowsTheQueue() async throws {
        let dir = try TemporaryDirectory()
        let server = try TestServerProcess(["--seed", "6", "--fault", "lost-ack=0.3", "--latency-ms", "20"])
        let all = Self.spans(4000, seed: 16)
        let before = Array(all.prefix(120))
        try await Self.seed(before, on: server)
        try Self.writeCSV(all, to: dir.file("spans.csv"))
        let result = try Self.run(
            Self.importArgs(
                dir.file("spans.csv"), server, journal: dir.file("j.journal"),
                [
                    "--summary-json", dir.file("s.json").path, "--max-backoff", "0.05", "--verify", "always",
                    "--log-level", "info",
                ]), in: dir)
        #expect(result.exitCode == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(
            result.stderr.contains("the queue was read while it filled: every delivered id seen"), "\(result.stderr)")
        let verification = try #require(try Self.summary(dir.file("s.json"))["verification"] as? [String: Any])
        #expect(verification["created"] as? Int == 3880)
        #expect(verification["already_present"] as? Int == 120)
        #expect(verification["not_found"] as? Int == 0)
        #expect(verification["listed"] as? Bool == true)
        try await server.post("/_control/faults", json: #"{"fault":"none"}"#)
        #expect(try await server.storedIDs().count == 4000)
    }

    @Test("kill -9 during delivery, then the same command: every id reconciled exactly")
    func killDuringDelivery() async throws {
        let dir = try TemporaryDirectory()
        let server = try TestServerProcess(["--latency-ms", "60,20"])
        let all = Self.spans(3000, seed: 15)
        let before = Array(all.prefix(50))
        try await Self.seed(before, on: server)
        try Self.writeCSV(all, to: dir.file("spans.csv"))
        let journal = dir.file("j.journal")
        let args = Self.importArgs(
            dir.file("spans.csv"), server, journal: journal,
            ["--summary-json", dir.file("s.json").path, "--concurrency", "2"])
        var killed = 0
        for delay in [150, 250] where try KillResumeTests.runAndKill(args, in: dir.url, after: delay) == nil {
            killed += 1
        }
        let result = try Self.run(args, in: dir)
        #expect(result.exitCode == 0, "\(result.stdout)\n\(result.stderr)")
        let verification = try #require(try Self.summary(dir.file("s.json"))["verification"] as? [String: Any])
        #expect(verification["created"] as? Int == 2950, "killed \(killed)")
        #expect(verification["already_present"] as? Int == 50)
        #expect(try await server.storedIDs().count == 3000)
    }

    @Test("kill -9 during undo, then undo again: the queue holds exactly what it held before the import")
    func killDuringUndo() async throws {
        let dir = try TemporaryDirectory()
        let server = try TestServerProcess()
        let all = Self.spans(3000, seed: 16)
        let before = Array(all.prefix(40))
        try await Self.seed(before, on: server)
        try Self.writeCSV(all, to: dir.file("spans.csv"))
        let journal = dir.file("j.journal")
        let imported = try Self.run(Self.importArgs(dir.file("spans.csv"), server, journal: journal), in: dir)
        #expect(imported.exitCode == 0)
        try await server.post("/_control/faults", json: #"{"latency_ms":"80,20"}"#)
        let undoArgs = ["undo", journal.path, "--endpoint", server.endpoint, "--yes", "--concurrency", "1"]
        // Killed once a few batches are deleted: SIGKILL mid-undo.
        let process = Process()
        process.executableURL = BinaryRunner.executable("aq-import")
        process.arguments = undoArgs
        process.currentDirectoryURL = dir.url
        process.environment = ProcessInfo.processInfo.environment.merging([
            "ARIZE_API_KEY": "test-key", "HOME": dir.url.path,
        ]) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var deletes = 0
        for _ in 0..<600 where process.isRunning {
            deletes = try await server.stats()["delete_records_requests"] as? Int ?? 0
            if deletes >= 3 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let killed = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(killed, "the undo ended before it could be killed")
        let remaining = try await server.storedIDs().count
        #expect(remaining > 40 && remaining < 3000, "killed mid-undo after \(deletes) deletes: \(remaining) left")
        try await server.post("/_control/faults", json: #"{"latency_ms":null}"#)
        let undo = try Self.run(["undo", journal.path, "--endpoint", server.endpoint, "--yes"], in: dir)
        #expect(undo.exitCode == 0, "\(undo.stdout)\n\(undo.stderr)")
        #expect(Set(try await server.storedIDs()) == Set(before.map { "SPAN \($0.id)" }))
    }

    @Test("verify after records were deleted by hand: exit 1, the missing ids listed and written as a replayable CSV")
    func verifyAfterDeletion() async throws {
        let dir = try TemporaryDirectory()
        let server = try TestServerProcess()
        let all = Self.spans(700, seed: 17)
        try Self.writeCSV(all, to: dir.file("spans.csv"))
        let journal = dir.file("j.journal")
        #expect(try Self.run(Self.importArgs(dir.file("spans.csv"), server, journal: journal), in: dir).exitCode == 0)
        let clean = try Self.run(["verify", journal.path, "--endpoint", server.endpoint], in: dir)
        #expect(clean.exitCode == 0, "\(clean.stdout)\n\(clean.stderr)")

        // Delete 30 records by hand.
        let page = try await server.get(
            "/_control/queues/\(Self.queue.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)/records?limit=30"
        )
        let records = try #require(page["records"] as? [[String: Any]])
        let recordIDs = records.compactMap { $0["id"] as? String }
        let gone = Set(records.compactMap { ($0["data"] as? [String: Any])?["context.span_id"] as? String })
        #expect(recordIDs.count == 30 && gone.count == 30)
        try await server.delete(
            "/_control/queues/\(Self.queue.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)/records",
            json: #"{"record_ids":[\#(recordIDs.map { "\"\($0)\"" }.joined(separator: ","))]}"#)

        let verify = try Self.run(
            ["verify", journal.path, "--endpoint", server.endpoint, "--missing-out", dir.file("missing").path], in: dir)
        #expect(verify.exitCode == 1, "\(verify.stdout)\n\(verify.stderr)")
        #expect(verify.stdout.contains("missing 30"), "\(verify.stdout)")
        for id in gone { #expect(verify.stdout.contains(id)) }
        let replay = dir.file("missing.span.csv")
        #expect(Set(try Self.firstColumn(replay)) == gone)

        // The file imports back, and then the queue holds everything again.
        let back = try Self.run(
            [
                replay.path, "--queue", Self.queue, "--endpoint", server.endpoint, "--journal",
                dir.file("r.journal").path,
                "--quiet",
            ], in: dir)
        #expect(back.exitCode == 0, "\(back.stdout)\n\(back.stderr)")
        let after = try Self.run(["verify", journal.path, "--endpoint", server.endpoint], in: dir)
        #expect(after.exitCode == 0, "\(after.stdout)\n\(after.stderr)")
    }

    @Test("verify under 429, 5xx and reset faults: the same counts, exit 0")
    func verifyUnderFaults() async throws {
        let dir = try TemporaryDirectory()
        let server = try TestServerProcess(["--seed", "3"])
        let all = Self.spans(1600, seed: 18)
        try Self.writeCSV(all, to: dir.file("spans.csv"))
        let journal = dir.file("j.journal")
        #expect(try Self.run(Self.importArgs(dir.file("spans.csv"), server, journal: journal), in: dir).exitCode == 0)
        try await server.post(
            "/_control/faults", json: #"{"fault":"429=0.2,500=0.1,503=0.1,reset=0.1","retry_after":"none"}"#)
        let verify = try Self.run(
            ["verify", journal.path, "--endpoint", server.endpoint, "--max-backoff", "0.05"], in: dir)
        #expect(verify.exitCode == 0, "\(verify.stdout)\n\(verify.stderr)")
        #expect(verify.stdout.contains("created by this import 1600, already in the queue 0, missing 0"))
        let faults = try await server.stats()["faults_injected"] as? [String: Any] ?? [:]
        #expect(!faults.isEmpty, "no fault was injected: \(faults)")
    }

    @Test("--journal naming an input, or a file that is not a journal, is refused and left as it was")
    func journalThatIsNotAJournal() async throws {
        let dir = try TemporaryDirectory()
        let server = try TestServerProcess()
        try Self.writeCSV(Self.spans(10, seed: 19), to: dir.file("spans.csv"))
        let input = dir.file("spans.csv")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: input.path)
        let content = try Data(contentsOf: input)
        for extra in [[], ["--restart"]] {
            let result = try Self.run(Self.importArgs(input, server, journal: input, extra), in: dir)
            #expect(result.exitCode == 2, "\(result.stderr)")
            #expect(result.stderr.contains("names one of the inputs"), "\(result.stderr)")
        }
        let notes = dir.file("notes.txt")
        try "my notes\n".write(to: notes, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: notes.path)
        for extra in [[], ["--restart"]] {
            let result = try Self.run(Self.importArgs(input, server, journal: notes, extra), in: dir)
            #expect(result.exitCode == 2, "\(result.stderr)")
            #expect(result.stderr.contains("not an aq-import journal"), "\(result.stderr)")
        }
        #expect(try Data(contentsOf: input) == content)
        #expect(try String(contentsOf: notes, encoding: .utf8) == "my notes\n")
        for file in [input, notes] {
            let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
            #expect(mode == 0o644)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.url.path)
        #expect(!names.contains { $0.contains(".old-") }, "\(names)")
        #expect(try await server.stats()["add_records_requests"] as? Int == 0)
    }

    @Test("status of a missing file or a directory says so")
    func statusOfWhatIsNotThere() throws {
        let dir = try TemporaryDirectory()
        let missing = try Self.run(["status", "nope.journal"], in: dir)
        #expect(missing.exitCode == 2 && missing.stderr.contains("nope.journal: no such file"), "\(missing.stderr)")
        let directory = try Self.run(["status", dir.url.path], in: dir)
        #expect(directory.exitCode == 2 && directory.stderr.contains("is a directory"), "\(directory.stderr)")
        let verify = try Self.run(["verify", "nope.journal", "--endpoint", "http://127.0.0.1:9"], in: dir)
        #expect(verify.exitCode == 2 && verify.stderr.contains("no such file"), "\(verify.stderr)")
    }
}

extension TestServerProcess {
    /// A DELETE with a JSON body (the double's `/_control/` routes need no key).
    func delete(_ path: String, json: String) async throws {
        var request = URLRequest(url: URL(string: endpoint + path)!)
        request.httpMethod = "DELETE"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(json.utf8)
        _ = try await URLSession.shared.data(for: request)
    }
}
