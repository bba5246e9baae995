import Foundation
import Testing

/// Issue 4 item 8: the binary killed with SIGKILL at random moments, each kill followed by a resume
/// (the same command again), then a run to completion. Every id delivered; no request sent again
/// after its `done` was journaled; at most `--concurrency` requests in flight (sent, not done) at each
/// kill, so at most that many re-sent per kill.
@Suite("aq-import killed with SIGKILL and resumed", .serialized)
struct KillResumeTests {
    static let concurrency = 4
    static let cycles = 12

    /// What a journal says, line by line, split into runs at each `header` or `resumed` line.
    struct JournalReport {
        var runs: [[(type: String, id: String?)]] = []
        var unreadableLines: [Int] = []
        /// `sent` lines for an id whose `done` came earlier in the file, with their line numbers.
        var sentAfterDone: [(line: Int, id: String)] = []
        /// Per run, the ids sent in that run without a `done` in it: in flight when it ended.
        var inFlightAtEnd: [Int] {
            runs.map { run in
                var open = Set<String>()
                for entry in run {
                    guard let id = entry.id else { continue }
                    if entry.type == "sent" { open.insert(id) }
                    if entry.type == "done" || entry.type == "rejected" { open.remove(id) }
                }
                return open.count
            }
        }
        var sentCount = 0
        var distinctSent = Set<String>()

        init(contentsOf url: URL) throws {
            let data = try Data(contentsOf: url)
            var done = Set<String>()
            var current: [(type: String, id: String?)] = []
            for (index, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                    let type = object["type"] as? String
                else {
                    unreadableLines.append(index + 1)
                    continue
                }
                let id = object["id"] as? String
                if type == "header" || type == "resumed" {
                    if !current.isEmpty { runs.append(current) }
                    current = []
                }
                current.append((type, id))
                if type == "sent", let id {
                    sentCount += 1
                    distinctSent.insert(id)
                    if done.contains(id) { sentAfterDone.append((index + 1, id)) }
                }
                if type == "done", let id { done.insert(id) }
            }
            if !current.isEmpty { runs.append(current) }
        }
    }

    /// A SplitMix64 generator: the same seed gives the same kill moments.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Starts `aq-import`, waits `milliseconds`, kills it with SIGKILL (or finds it already done).
    /// Returns the exit code when it finished by itself before the kill.
    static func runAndKill(_ arguments: [String], in directory: URL, after milliseconds: Int) throws -> Int32? {
        let process = Process()
        process.executableURL = BinaryRunner.executable("aq-import")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("ARIZE_") { env[key] = nil }
        env["HOME"] = directory.path
        env["ARIZE_API_KEY"] = "test-key"
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(Double(milliseconds) / 1000)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if !process.isRunning { return process.terminationStatus }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return nil
    }

    @Test("12 kills at random moments, each followed by a resume: every id delivered once, nothing re-sent after done")
    func killAndResume() async throws {
        let seed = UInt64(Date().timeIntervalSince1970 * 1000)
        var random = Random(state: seed)
        let server = try TestServerProcess(["--latency-ms", "40,20", "--seed", "\(seed % 1000)"])
        let dir = try TemporaryDirectory()
        let input = dir.file("spans.csv")
        // Spread over 20 years, so that sources hold a few ids each and requests are many (~500).
        let expected = try SpanExportWriter.write(to: input, count: 4_000, days: 7_300, seed: seed)
        let journal = dir.file("run.journal")
        let args = [
            input.path, "--queue", TestServerProcess.demoQueue, "--endpoint", server.endpoint, "--project-id",
            "cHJvamVjdA==", "--journal", journal.path, "--concurrency", "\(Self.concurrency)", "--quiet",
        ]

        var kills = 0
        var finishedEarly: [Int32] = []
        for _ in 0..<Self.cycles {
            let delay = 20 + Int(random.next() % 781)
            if let code = try Self.runAndKill(args, in: dir.url, after: delay) {
                finishedEarly.append(code)
            } else {
                kills += 1
            }
        }
        let last = try BinaryRunner.run(
            "aq-import", args, in: dir.url, environment: ["ARIZE_API_KEY": "test-key"], timeout: 180)
        #expect(last.exitCode == 0, "seed \(seed): \(last.stdout)\n\(last.stderr)")
        #expect(finishedEarly.allSatisfy { $0 == 0 }, "seed \(seed): runs that ended by themselves: \(finishedEarly)")
        #expect(kills >= 8, "seed \(seed): only \(kills) of \(Self.cycles) runs were still going when killed")

        let stored = try await server.storedIDs()
        #expect(
            stored.count == expected.count && Set(stored) == expected, "seed \(seed): \(difference(stored, expected))")

        let report = try JournalReport(contentsOf: journal)
        #expect(report.sentAfterDone.isEmpty, "seed \(seed): sent again after done: \(report.sentAfterDone.prefix(5))")
        #expect(
            report.inFlightAtEnd.allSatisfy { $0 <= Self.concurrency },
            "seed \(seed): in flight at the end of each run: \(report.inFlightAtEnd)")
        let resent = report.sentCount - report.distinctSent.count
        #expect(resent <= Self.concurrency * kills, "seed \(seed): \(resent) re-sent for \(kills) kills")
        // A torn last line is what a kill mid-write leaves; anything else unreadable is damage.
        #expect(report.unreadableLines.count <= kills, "seed \(seed): unreadable lines \(report.unreadableLines)")
        let stats = try await server.stats()
        print(
            "kill-resume seed \(seed): kills \(kills), runs \(report.runs.count), re-sent \(resent), "
                + "duplicates received \(stats["duplicate_ids_received"] ?? "?"), in flight at ends \(report.inFlightAtEnd)"
        )
    }
}
