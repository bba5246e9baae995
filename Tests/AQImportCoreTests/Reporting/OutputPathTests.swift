import Foundation
import Testing

@testable import AQImportCore

/// The outputs of a run (rejects, plan) through the writer: what is not a regular file is refused
/// before anything is read, and a failure is worded once.
@Suite struct OutputPathTests {
    let directory: URL
    let input: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("outputs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        input = directory.appendingPathComponent("traces.csv").path
        try """
        context.trace_id,start_time,project_id
        7a4b32968642334523e5d068a2a10c99,2026-01-16T04:46:00Z,UA==
        d777b1195a29f50c5387a564648bc85a,not a time,UA==

        """.write(toFile: input, atomically: false, encoding: .utf8)
    }

    func builder(rejects: String) -> PlanBuilder {
        PlanBuilder(
            configuration: ImportConfiguration(
                inputs: [input], queueID: "Q", dryRun: true, rejectsPath: rejects, workingDirectory: directory.path))
    }

    @Test func aRejectsPathThatIsAFifoIsRefusedBeforeReadingAndKept() throws {
        let fifo = directory.appendingPathComponent("rejects.csv").path
        #expect(mkfifo(fifo, 0o600) == 0)
        // Opened for writing as before, the fifo would block with no reader; removed, it would be gone.
        let error = #expect(throws: ImportError.self) { try builder(rejects: fifo).run() }
        #expect(error?.errorDescription == "cannot write \(fifo): it is a fifo, not a regular file; name a file")
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    }

    @Test func aRejectsFileInAMissingDirectorySaysCannotWriteOnce() throws {
        let target = directory.appendingPathComponent("missing/rejects.csv").path
        let error = #expect(throws: ImportError.self) { try builder(rejects: target).run() }
        #expect(error?.errorDescription == "cannot write \(target): no directory \(directory.path)/missing")
    }

    @Test func anEarlierRejectsFileIsReplacedWhole() throws {
        let target = directory.appendingPathComponent("r.csv").path
        try "stale\n".write(toFile: target, atomically: false, encoding: .utf8)
        let result = try builder(rejects: target).run()
        #expect(result.rejectsWritten == 1)
        let text = try String(contentsOfFile: target, encoding: .utf8)
        #expect(text.hasPrefix("aq_error,aq_file,aq_line,context.trace_id"))
        #expect(!text.contains("stale"))
    }

    @Test func aPlanOntoADirectoryIsRefusedAndTheDirectoryKept() throws {
        let result = try builder(rejects: directory.appendingPathComponent("r.csv").path).run()
        let target = directory.appendingPathComponent("plan-dir").path
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        try "keep".write(toFile: target + "/inside", atomically: false, encoding: .utf8)
        let error = #expect(throws: FileWriterError.self) {
            try PlanWriter(queueID: "Q").write(result.plan, toFile: target)
        }
        #expect(error?.reason == "it is a directory, not a regular file; name a file")
        #expect(try String(contentsOfFile: target + "/inside", encoding: .utf8) == "keep")
    }
}
