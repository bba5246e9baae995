import Foundation
import Testing

@testable import AQImportCore

/// Inputs given twice, inputs that change while they are read, and scope flags: judged by PlanBuilder
/// before anything is planned (and so before anything is sent).
@Suite("Input files: given once, unchanged while read")
struct InputFileStateTests {
    static func csv(rows: Int) -> String {
        "span_id,start_time\n" + (0..<rows).map { "id\($0),1768435200\n" }.joined()
    }

    static func builder(
        _ inputs: [String], in dir: URL, options: ReadOptions = ReadOptions(projectID: "p1"),
        onProgress: (@Sendable (Int) -> Void)? = nil, onNotice: (@Sendable (String) -> Void)? = nil
    ) -> PlanBuilder {
        PlanBuilder(
            configuration: ImportConfiguration(
                inputs: inputs, queueID: "q", readOptions: options, dryRun: true, workingDirectory: dir.path),
            onProgress: onProgress, onNotice: onNotice)
    }

    static func inputError(_ builder: PlanBuilder) -> InputError? {
        do {
            _ = try builder.run()
            return nil
        } catch {
            if case .input(let input) = error { return input }
            Issue.record("not an input error: \(error)")
            return nil
        }
    }

    @Test("the same file twice, by its path, through ./, .. or a link, and stdin twice are refused")
    func duplicates() throws {
        let dir = try InputTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.csv").path
        let b = dir.appendingPathComponent("b.csv").path
        try Self.csv(rows: 1).write(toFile: a, atomically: true, encoding: .utf8)
        try Self.csv(rows: 1).write(toFile: b, atomically: true, encoding: .utf8)
        let link = dir.appendingPathComponent("link.csv").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: a)
        let dotted = dir.appendingPathComponent("sub/../a.csv").path
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)

        #expect(InputFileState.firstDuplicate(in: [a, b]) == nil)
        for pair in [[a, a], [a, link], [a, dotted], [b, a, dir.path + "/./a.csv"], ["-", b, "-"]] {
            let found = InputFileState.firstDuplicate(in: pair)
            #expect(found != nil, "\(pair)")
        }
        let error = try #require(Self.inputError(Self.builder([a, b, link], in: dir)))
        #expect(error.file == link)
        #expect(error.message.contains("same file as \(a)"), "\(error.message)")
        let twice = try #require(Self.inputError(Self.builder([a, a], in: dir)))
        #expect(twice.message.contains("given twice"))
        let stdin = try #require(Self.inputError(Self.builder(["-", "-"], in: dir)))
        #expect(stdin.message.contains("standard input"))
    }

    @Test("a file that grows, is rewritten or replaced while it is read is noticed")
    func changes() throws {
        let dir = try InputTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a.csv").path
        try Self.csv(rows: 3).write(toFile: path, atomically: false, encoding: .utf8)
        let before = try #require(InputFileState.of(path: path))
        let size = Int(before.size)
        #expect(before.change(to: InputFileState.of(path: path), bytesRead: size) == nil)
        #expect(
            before.change(to: InputFileState.of(path: path), bytesRead: size - 1)?.contains("bytes were read") == true)

        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("x,1768435200\n".utf8))
        try handle.close()
        #expect(before.change(to: InputFileState.of(path: path), bytesRead: size)?.contains("size went from") == true)

        // Same size, another modification time.
        try Self.csv(rows: 3).write(toFile: path, atomically: false, encoding: .utf8)
        var bumped = before
        bumped.modifiedSeconds -= 10
        #expect(bumped.change(to: InputFileState.of(path: path), bytesRead: size)?.contains("modified") == true)

        let other = dir.appendingPathComponent("b.csv").path
        try Self.csv(rows: 3).write(toFile: other, atomically: false, encoding: .utf8)
        let now = try #require(InputFileState.of(path: path))
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: other, toPath: path)
        #expect(now.change(to: InputFileState.of(path: path), bytesRead: size)?.contains("another file") == true)
        try FileManager.default.removeItem(atPath: path)
        #expect(now.change(to: InputFileState.of(path: path), bytesRead: size)?.contains("no longer there") == true)
        #expect(InputFileState.of(path: "-") == nil)
        #expect(InputFileState.of(path: "/dev/null") == nil)
    }

    @Test("an input appended to while PlanBuilder reads it stops the run before a plan")
    func appendedWhileRead() throws {
        let dir = try InputTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("grow.csv").path
        try Self.csv(rows: 70_000).write(toFile: path, atomically: false, encoding: .utf8)
        let builder = Self.builder([path], in: dir) { rows in
            guard rows > 0, rows < 70_000, let handle = FileHandle(forWritingAtPath: path) else { return }
            handle.seekToEndOfFile()
            handle.write(Data("late,1768435200\n".utf8))
            try? handle.close()
        }
        let error = try #require(Self.inputError(builder))
        #expect(error.file == path)
        #expect(error.message.contains("changed while it was read"), "\(error.message)")
        #expect(error.message.contains("nothing was sent"))
    }

    @Test(
        "scope flags that are empty, blank or hold control characters are refused",
        arguments: ["", "  ", "P\n", "P\u{85}"])
    func scopeFlags(value: String) throws {
        let dir = try InputTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a.csv").path
        try Self.csv(rows: 1).write(toFile: path, atomically: true, encoding: .utf8)
        for options in [
            ReadOptions(projectID: value), ReadOptions(datasetID: value),
            ReadOptions(datasetID: "d", datasetVersionID: value),
        ] {
            let error = try #require(Self.inputError(Self.builder([path], in: dir, options: options)))
            #expect(error.file.hasPrefix("--"), "\(error)")
        }
    }

    @Test("--start/--end given for a file with a time column: a notice says they apply only to rows without a time")
    func fixedWindowNotice() throws {
        let dir = try InputTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let timed = dir.appendingPathComponent("timed.csv").path
        let untimed = dir.appendingPathComponent("untimed.csv").path
        try "span_id,start_time\na,1768435200\nb,\n".write(toFile: timed, atomically: true, encoding: .utf8)
        try "span_id\nc\n".write(toFile: untimed, atomically: true, encoding: .utf8)
        var options = ReadOptions(projectID: "p1")
        options.fixedWindow = TimeWindow(
            start: Timestamp(secondsSinceEpoch: 1_768_400_000), end: Timestamp(secondsSinceEpoch: 1_768_500_000))
        let notices = Locked<[String]>([])
        let result = try Self.builder(
            [timed, untimed], in: dir, options: options,
            onNotice: { message in notices.withLock { $0.append(message) } }
        ).run()
        let said = notices.withLock { $0 }
        #expect(said.count == 1)
        #expect(said.first?.contains("\(timed) has a time column (start_time)") == true)
        // The empty time cell took the window: nothing was rejected.
        #expect(result.plan.recordCount == 3)
        #expect(result.rejectsWritten == 0)
    }
}
