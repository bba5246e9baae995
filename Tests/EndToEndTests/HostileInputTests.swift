import Foundation
import Testing

/// Malformed and hostile inputs through the built binary with `--dry-run --plan-out`: the exit code,
/// the message naming file and line, the rejected lines, and a plan holding exactly the valid ids, so
/// that nothing malformed could ever reach a request. Every run has a timeout: nothing may hang.
@Suite("Hostile inputs: end to end")
struct HostileInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var file: String
        var bytes: @Sendable () -> [UInt8]
        var extra: [String] = []
        var exitCode: Int32
        /// A phrase stderr must hold, usually `file:line:`.
        var stderr: String?
        /// The ids the plan must hold, exactly (exit 0 and 1).
        var ids: Set<String> = []
        /// The input lines the rejects file must name, exactly.
        var rejectedLines: [Int] = []

        var testDescription: String { name }
    }

    static let t = "2026-01-15T00:00:00Z"
    static let header = "span_id,start_time,note\n"

    static func text(_ s: String) -> @Sendable () -> [UInt8] { { Array(s.utf8) } }

    static func line(_ id: String, time: String = "1768435200", extra: String = "") -> String {
        "{\"span_id\":\(id),\"start_time\":\(time)\(extra)}\n"
    }

    static let cases: [Case] = [
        Case(
            name: "quote never closed", file: "unclosed.csv",
            bytes: text(header + "a,\(t),ok\nb,\(t),\"never\nclosed\n"), exitCode: 2,
            stderr: "unclosed.csv:3: a quoted field"),
        Case(
            name: "quote inside an unquoted field", file: "stray.csv",
            bytes: text(header + "a,\(t),ok\nb,\(t),say \"hi\"\n"), exitCode: 2, stderr: "stray.csv:3: malformed CSV"),
        Case(
            name: "ragged rows", file: "ragged.csv",
            bytes: text(header + "a,\(t),x\nb,\(t)\nc,\(t),x,extra\nd,\(t),y\n"), exitCode: 1, ids: ["a", "d"],
            rejectedLines: [3, 4]),
        Case(
            name: "semicolon-delimited", file: "semi.csv", bytes: text("span_id;start_time\na;\(t)\n"), exitCode: 2,
            stderr: "semi.csv:1: no id column found"),
        Case(
            name: "BOM with CRLF", file: "bom.csv", bytes: text("\u{FEFF}span_id,start_time\r\na,\(t)\r\nb,\(t)\r\n"),
            exitCode: 0, ids: ["a", "b"]),
        Case(
            name: "invalid UTF-8 in an id", file: "badid.csv",
            bytes: { Array(header.utf8) + [0x61, 0xC3, 0x28] + Array(",\(t),x\nb,\(t),y\n".utf8) }, exitCode: 1,
            ids: ["b"], rejectedLines: [2]),
        Case(
            name: "invalid UTF-8 in a text column", file: "badtext.csv",
            bytes: { Array((header + "a,\(t),").utf8) + [0xFF, 0xFE] + Array("\nb,\(t),y\n".utf8) }, exitCode: 0,
            ids: ["a", "b"]),
        Case(
            name: "NUL bytes in an id and a text", file: "nul.csv",
            bytes: {
                Array(header.utf8) + [0x61, 0x00] + Array(",\(t),x\nb,\(t),".utf8) + [0x00, 0x00] + [0x0A]
            }, exitCode: 1, ids: ["b"], rejectedLines: [2]),
        Case(
            name: "a 50 MB field", file: "big.csv",
            bytes: {
                Array((header + "a,\(t),\"").utf8) + [UInt8](repeating: 0x78, count: SanitizerBuild.bigCell)
                    + Array("\"\nb,\(t),y\n".utf8)
            }, exitCode: 0, ids: ["a", "b"]),
        Case(
            name: "a header of 100,000 columns", file: "wide.csv",
            bytes: {
                Array(
                    ("span_id,start_time," + (0..<100_000).map { "c\($0)" }.joined(separator: ",") + "\na,\(t),"
                        + String(repeating: ",", count: 99_999) + "\n").utf8)
            }, exitCode: 0, ids: ["a"]),
        Case(name: "an empty file", file: "empty.csv", bytes: text(""), exitCode: 2, stderr: "empty.csv:1: empty file"),
        Case(
            name: "a header only", file: "header.csv", bytes: text("span_id,start_time\n"), exitCode: 2,
            stderr: "no valid record"),
        Case(
            name: "duplicate header names", file: "dup.csv", bytes: text("span_id,start_time,span_id\na,\(t),b\n"),
            exitCode: 2, stderr: "dup.csv:1: the id column \"span_id\" appears 2 times"),
        Case(
            name: "a binary file", file: "binary.csv",
            bytes: { (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) } }, exitCode: 2,
            stderr: "binary.csv:1:"),
        Case(
            name: "a truncated gzip", file: "cut.csv.gz",
            bytes: {
                let gz = try! gzipped(Array((header + "a,\(t),x\n").utf8))
                return Array(gz.prefix(gz.count - 10))
            }, exitCode: 2, stderr: "cut.csv.gz: truncated gzip"),
        Case(
            name: "named .gz but not gzip", file: "fake.csv.gz", bytes: text(header + "a,\(t),x\n"), exitCode: 2,
            stderr: "fake.csv.gz: named .gz but is not gzip"),
        Case(
            name: "a JSON array instead of NDJSON", file: "array.ndjson",
            bytes: text("[" + line("\"a\"").dropLast() + "]\n"), exitCode: 2,
            stderr: "array.ndjson:1: not a JSON object"),
        Case(
            name: "an object nested 10,000 deep", file: "deep.ndjson",
            bytes: text(
                line("\"a\"") + String(repeating: "{\"a\":", count: 10_000) + "1"
                    + String(repeating: "}", count: 10_000)
                    + "\n"), exitCode: 2,
            stderr: "deep.ndjson:2: not a JSON object (column 2561): objects and arrays nested deeper than 512"),
        Case(
            name: "NDJSON truncated mid-object", file: "cut.ndjson",
            bytes: text(line("\"a\"") + "{\"span_id\":\"b\",\"st"),
            exitCode: 2, stderr: "cut.ndjson:2:"),
        Case(
            name: "numbers as ids", file: "numbers.ndjson", bytes: text(line("12345") + line("-7") + line("\"0042\"")),
            exitCode: 0, ids: ["12345", "-7", "0042"]),
        Case(
            name: "numbers as ids in CSV", file: "numbers.csv", bytes: text("span_id,start_time\n1,\(t)\n2.5,\(t)\n"),
            exitCode: 0, ids: ["1", "2.5"]),
        Case(
            name: "ids with spaces, emoji, or 10 kB long", file: "ids.csv",
            bytes: text(
                "span_id,start_time\n a b ,\(t)\n🦊🔥,\(t)\n" + String(repeating: "z", count: 10_000) + ",\(t)\n"),
            exitCode: 1, ids: ["a b", "🦊🔥"], rejectedLines: [4]),
        Case(
            name: "ids of wrong JSON types", file: "types.ndjson",
            bytes: text(line("null") + line("true") + line("{\"x\":1}") + line("[\"a\"]") + line("\"ok\"")),
            exitCode: 1, ids: ["ok"], rejectedLines: [1, 2, 3, 4]),
        Case(
            name: "invalid UTF-8 and escaped NUL in NDJSON ids", file: "utf8.ndjson",
            bytes: {
                Array("{\"span_id\":\"a".utf8) + [0xC0, 0x80] + Array("\",\"start_time\":1768435200}\n".utf8)
                    + Array((line(#""a\u0000b""#) + line(#""\udc00""#) + line("\"fine\"")).utf8)
            }, exitCode: 1, ids: ["fine"], rejectedLines: [1, 2, 3]),
        Case(
            name: "times in 1900 and 3000, negative epochs", file: "times.csv",
            bytes: text(
                "span_id,start_time\na,1900-01-01T00:00:00Z\nb,3000-01-01T00:00:00Z\nc,-5\nd,-1768435200000\nok,\(t)\n"),
            exitCode: 1, ids: ["ok"], rejectedLines: [2, 3, 4, 5]),
        Case(
            name: "unreadable times", file: "badtimes.ndjson",
            bytes: text(
                line("\"a\"", time: "\"2026-02-30T00:00:00Z\"") + line("\"b\"", time: "\"yesterday\"")
                    + line("\"c\"", time: "true") + line("\"ok\"", time: "\"2026-01-15 00:00:00\"")),
            exitCode: 1, ids: ["ok"], rejectedLines: [1, 2, 3]),
        Case(
            name: "no valid record at all", file: "allbad.csv", bytes: text("span_id,start_time\n,\(t)\nx,never\n"),
            exitCode: 2, stderr: "no valid record", rejectedLines: [2, 3]),
        Case(
            name: "a directory instead of a file", file: "adir.csv", bytes: { [] }, exitCode: 2, stderr: "adir.csv"),
        Case(
            name: "an unknown extension", file: "spans.txt", bytes: text(header + "a,\(t),x\n"), exitCode: 2,
            stderr: "spans.txt: cannot tell the format"),
        Case(
            name: "a row without a scope and no --project-id", file: "scope.csv",
            bytes: text("span_id,start_time,project_id\na,\(t),p9\nb,\(t),\n"), extra: ["--no-project"], exitCode: 1,
            ids: ["a"], rejectedLines: [3]),
        Case(
            name: "two good rows around a 10,000-field row", file: "manyfields.csv",
            bytes: text(header + "a,\(t),x\n" + String(repeating: "f,", count: 10_000) + "\nb,\(t),y\n"),
            exitCode: 1, ids: ["a", "b"], rejectedLines: [3]),
    ]

    /// Issue 13's inputs and flags (a hostile probe): each run is a dry run with `--plan-out plan.ndjson`.
    struct FlagCase: Sendable, CustomTestStringConvertible {
        var name: String
        /// Files to write first, by name.
        var files: [String: String]
        var arguments: [String]
        var exitCode: Int32
        var stderr: String
        /// The ids the plan must hold, as UTF-8 bytes (a Set<String> would merge NFC and NFD).
        var planned: [[UInt8]]? = nil

        var testDescription: String { name }
    }

    static let good = "span_id,start_time\na,\(t)\n"

    static let flagCases: [FlagCase] = [
        FlagCase(
            name: "--project-id empty", files: ["a.csv": good], arguments: ["a.csv", "--project-id", ""], exitCode: 2,
            stderr: "--project-id \"\" is empty"),
        FlagCase(
            name: "--project-id blank", files: ["a.csv": good], arguments: ["a.csv", "--project-id", "   "],
            exitCode: 2, stderr: "is empty"),
        FlagCase(
            name: "--project-id with a newline", files: ["a.csv": good], arguments: ["a.csv", "--project-id", "P\nQ"],
            exitCode: 2, stderr: "control character"),
        FlagCase(
            name: "--dataset-id with a C1 control", files: ["e.csv": "id\nx\n"],
            arguments: ["e.csv", "--dataset-id", "D\u{85}"], exitCode: 2, stderr: "control character"),
        FlagCase(
            name: "stdin twice", files: [:], arguments: ["-", "-", "--format", "csv", "--project-id", "P"], exitCode: 2,
            stderr: "standard input (-) is given twice"),
        FlagCase(
            name: "the same file twice", files: ["a.csv": good], arguments: ["a.csv", "./a.csv", "--project-id", "P"],
            exitCode: 2, stderr: "./a.csv: is the same file as a.csv"),
        FlagCase(
            name: "--start/--end with a file that has times", files: ["a.csv": good + "b,\n"],
            arguments: [
                "a.csv", "--project-id", "P", "--start", "2026-01-14T00:00:00Z", "--end", "2026-01-16T00:00:00Z",
            ], exitCode: 0, stderr: "a.csv has a time column (start_time)", planned: [Array("a".utf8), Array("b".utf8)]),
        FlagCase(
            name: "--start before 1970-01-01T00:00:01Z", files: ["u.csv": "span_id\na\n"],
            arguments: [
                "u.csv", "--project-id", "P", "--start", "1970-01-01T00:00:00Z", "--end", "1970-01-02T00:00:00Z",
            ],
            exitCode: 2, stderr: "--start \"1970-01-01T00:00:00Z\" is out of range"),
        FlagCase(
            name: "ids with C1 controls, NFC and NFD, U+00C5 and U+212B",
            files: [
                "ids.ndjson": line(#""a\u0085b""#) + line(#""c\u009b31m""#) + line("\"caf\u{E9}\"")
                    + line("\"cafe\u{301}\"") + line("\"\u{C5}\"") + line("\"\u{212B}\"")
            ], arguments: ["ids.ndjson", "--project-id", "P"], exitCode: 1, stderr: "",
            planned: ["caf\u{E9}", "cafe\u{301}", "\u{C5}", "\u{212B}"].map { Array($0.utf8) }),
        FlagCase(
            name: "times at the end of time and at epoch 0",
            files: [
                "end.csv": "span_id,start_time\na,2262-04-11T23:47:15Z\nb,2262-04-11T23:47:16.5Z\n"
                    + "c,9223372036854775807\nd,0\ne,1970-01-01T00:00:01Z\n"
            ], arguments: ["end.csv", "--project-id", "P"], exitCode: 1, stderr: "",
            planned: [Array("e".utf8), Array("a".utf8)]),
        FlagCase(
            name: "project_id cells blank, padded, with control characters",
            files: [
                "scope.csv":
                    "span_id,start_time,project_id\na,\(t), P1 \nb,\(t),\"  \"\nc,\(t),\"P\nQ\"\nd,\(t),P\u{85}\n"
            ], arguments: ["scope.csv", "--project-id", "D"], exitCode: 1, stderr: "",
            planned: [Array("a".utf8), Array("b".utf8)]),
    ]

    @Test("issue 13's flags and inputs: refused with exit 2 and a message, or planned exactly", arguments: flagCases)
    func flags(_ c: FlagCase) throws {
        let dir = try TemporaryDirectory()
        for (name, text) in c.files { try Data(text.utf8).write(to: dir.file(name)) }
        let args = c.arguments + ["--queue", TestServerProcess.demoQueue, "--dry-run", "--plan-out", "plan.ndjson"]
        let result = try Self.run(args, in: dir.url, timeout: 120)
        #expect(result.exitCode == c.exitCode, "\(result.stderr)")
        if !c.stderr.isEmpty { #expect(result.stderr.contains(c.stderr), "\(result.stderr)") }
        let plan = dir.file("plan.ndjson")
        if let planned = c.planned {
            let file = try PlanFile(contentsOf: plan)
            #expect(file.violations().isEmpty)
            let ids = file.allIDs.map { Array(String($0.split(separator: " ", maxSplits: 2)[2]).utf8) }
            #expect(ids.count == planned.count, "\(ids)")
            #expect(Set(ids) == Set(planned))
        } else if FileManager.default.fileExists(atPath: plan.path) {
            let planned = try PlanFile(contentsOf: plan).allIDs
            #expect(planned.isEmpty, "a refused run planned \(planned.prefix(3))")
        }
    }

    @Test("rows that never end stop at the row size limit, naming the file and line: /dev/zero, a gzip bomb")
    func endlessRows() throws {
        let dir = try TemporaryDirectory()
        let zero = try Self.run(
            ["/dev/zero", "--format", "csv", "--queue", TestServerProcess.demoQueue, "--project-id", "P", "--dry-run"],
            in: dir.url, timeout: 300)
        #expect(zero.exitCode == 2)
        #expect(zero.stderr.contains("/dev/zero:1: a row larger than 256 MiB, the row size limit"), "\(zero.stderr)")
        let bomb = Process()
        bomb.executableURL = URL(fileURLWithPath: "/bin/sh")
        bomb.arguments = [
            "-c", "{ printf 'span_id,start_time\\n'; head -c 300000000 /dev/zero; } | gzip -1 > bomb.csv.gz",
        ]
        bomb.currentDirectoryURL = dir.url
        try bomb.run()
        bomb.waitUntilExit()
        let result = try Self.run(
            ["bomb.csv.gz", "--queue", TestServerProcess.demoQueue, "--project-id", "P", "--dry-run"], in: dir.url,
            timeout: 300)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("bomb.csv.gz:2: a row larger than 256 MiB"), "\(result.stderr)")
    }

    /// gzip through the system's gzip, so that the test does not trust the code under test.
    static func gzipped(_ bytes: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -c"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let writer = Thread {
            input.fileHandleForWriting.write(Data(bytes)); try? input.fileHandleForWriting.close()
        }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }

    /// Runs aq-import and kills it with SIGKILL past `timeout` (a SIGTERM does not stop it while it
    /// reads), so that a hang fails the test instead of stalling the suite.
    static func run(_ arguments: [String], in directory: URL, timeout: TimeInterval) throws -> BinaryRunner.Result {
        let process = Process()
        process.executableURL = BinaryRunner.executable("aq-import")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("ARIZE_") { env[key] = nil }
        env["HOME"] = directory.path
        process.environment = env
        let out = directory.appendingPathComponent("aq-import.stdout")
        let err = directory.appendingPathComponent("aq-import.stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        let hung = process.isRunning
        if hung { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let stdout = String(decoding: try Data(contentsOf: out), as: UTF8.self)
        let stderr = String(decoding: try Data(contentsOf: err), as: UTF8.self)
        if hung { Issue.record("aq-import \(arguments) ran past \(Int(timeout)) s and was killed") }
        return BinaryRunner.Result(exitCode: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    @Test("the table holds at least 30 inputs")
    func size() { #expect(Self.cases.count >= 30) }

    @Test("a hostile input gets its exit code, its message and a plan of only the valid ids", arguments: cases)
    func hostile(_ c: Case) throws {
        let dir = try TemporaryDirectory()
        if c.name == "a directory instead of a file" {
            try FileManager.default.createDirectory(at: dir.file(c.file), withIntermediateDirectories: false)
        } else {
            try Data(c.bytes()).write(to: dir.file(c.file))
        }
        var args = [c.file, "--queue", TestServerProcess.demoQueue, "--dry-run", "--plan-out", "plan.ndjson"]
        if !c.extra.contains("--no-project") { args += ["--project-id", "cHJvamVjdA=="] }
        let result = try Self.run(args, in: dir.url, timeout: 300)
        #expect(result.exitCode == c.exitCode, "\(result.stderr)")
        if let phrase = c.stderr { #expect(result.stderr.contains(phrase), "\(result.stderr)") }
        #expect(!result.stderr.contains("Fatal error"), "\(result.stderr)")

        let plan = dir.file("plan.ndjson")
        if c.exitCode == 2 {
            let planned = FileManager.default.fileExists(atPath: plan.path) ? try PlanFile(contentsOf: plan).allIDs : []
            #expect(planned.isEmpty, "a refused run planned \(planned.prefix(3))")
        } else {
            let file = try PlanFile(contentsOf: plan)
            #expect(file.violations().isEmpty)
            let ids = file.allIDs.map { String($0.split(separator: " ", maxSplits: 2)[2]) }
            #expect(ids.count == Set(ids).count)
            #expect(Set(ids) == c.ids)
        }

        let base = c.file.replacingOccurrences(of: ".gz", with: "")
        let ext = base.hasSuffix(".csv") ? "csv" : "ndjson"
        let rejects = dir.file((base as NSString).deletingPathExtension + ".rejects." + ext)
        var lines: [Int] = []
        if let data = FileManager.default.contents(atPath: rejects.path) {
            let text = String(decoding: data, as: UTF8.self)
            let pattern =
                ext == "csv" ? ",\(NSRegularExpression.escapedPattern(for: c.file)),([0-9]+)," : "\"aq_line\":([0-9]+)"
            let regex = try NSRegularExpression(pattern: pattern)
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                lines.append(Int((text as NSString).substring(with: match.range(at: 1)))!)
            }
        }
        #expect(lines == c.rejectedLines)
    }
}
