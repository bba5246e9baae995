import Foundation
import Testing

/// Imports from standard input: `-` with `--format`, a journal named by hand, fingerprinted as read.
@Suite("aq-import reads standard input")
struct StandardInputTests {
    let queue = TestServerProcess.demoQueue

    @Test("a dry run from stdin plans the same as from the file")
    func dryRun() throws {
        let dir = try TemporaryDirectory()
        let sample = BinaryRunner.samples.appendingPathComponent("spans.ndjson")
        let fromFile = try BinaryRunner.run(
            "aq-import", [sample.path, "--queue", queue, "--dry-run", "--plan-out", dir.file("a.ndjson").path],
            in: dir.url)
        let fromStdin = try BinaryRunner.run(
            "aq-import",
            ["-", "--format", "ndjson", "--queue", queue, "--dry-run", "--plan-out", dir.file("b.ndjson").path],
            in: dir.url, stdin: try Data(contentsOf: sample))
        #expect(fromFile.exitCode == 0)
        #expect(fromStdin.exitCode == 0, "\(fromStdin.stderr)")
        #expect(try Data(contentsOf: dir.file("a.ndjson")) == Data(contentsOf: dir.file("b.ndjson")))
        let noFormat = try BinaryRunner.run("aq-import", ["-", "--queue", queue, "--dry-run"], in: dir.url)
        #expect(noFormat.exitCode == 2)
        #expect(noFormat.stderr.contains("--format"))
    }

    @Test("an import from stdin needs --journal; resumed with the same bytes it is done, with others it refuses")
    func importAndResume() async throws {
        let server = try TestServerProcess()
        let dir = try TemporaryDirectory()
        let input = dir.file("spans.csv")
        _ = try SpanExportWriter.write(to: input, count: 1_500)
        let bytes = try Data(contentsOf: input)
        let env = ["ARIZE_API_KEY": "test-key"]
        let base = [
            "-", "--format", "csv", "--queue", queue, "--endpoint", server.endpoint, "--project-id", "cHJvamVjdA==",
        ]
        let noJournal = try BinaryRunner.run("aq-import", base, in: dir.url, environment: env, stdin: bytes)
        #expect(noJournal.exitCode == 2)
        #expect(noJournal.stderr.contains("--journal"))

        let args = base + ["--journal", "stdin.journal"]
        let first = try BinaryRunner.run("aq-import", args, in: dir.url, environment: env, stdin: bytes)
        #expect(first.exitCode == 0, "\(first.stderr)")
        #expect(try await server.storedIDs().count == 1_500)
        let again = try BinaryRunner.run("aq-import", args, in: dir.url, environment: env, stdin: bytes)
        #expect(again.exitCode == 0)
        #expect(again.stdout.contains("3 by an earlier run"))

        var other = bytes
        other.append(Data("ffffffffffffff01,1768435200,\"late\"\n".utf8))
        let changed = try BinaryRunner.run("aq-import", args, in: dir.url, environment: env, stdin: other)
        #expect(changed.exitCode == 2)
        #expect(changed.stderr.contains("changed"))
        #expect(changed.stderr.contains("--restart"))
    }
}
