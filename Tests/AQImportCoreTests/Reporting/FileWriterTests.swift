import Foundation
import Testing

@testable import AQImportCore

@Suite struct FileWriterTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func read(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }

    /// Every name in the directory, temporary files included.
    func names() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() }

    @Test func theTargetChangesOnlyWhenTheOutputIsClosed() throws {
        try "old\n".write(toFile: path("out.ndjson"), atomically: false, encoding: .utf8)
        let writer = try FileWriter(path: path("out.ndjson"))
        try writer.write(String(repeating: "x", count: 100_000))
        try writer.flush()
        #expect(try read("out.ndjson") == "old\n")
        try writer.close()
        #expect(try read("out.ndjson") == String(repeating: "x", count: 100_000))
        #expect(try names() == ["out.ndjson"], "no temporary file is left behind")
        let mode = try FileManager.default.attributesOfItem(atPath: path("out.ndjson"))[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
    }

    @Test func settlingForAnExitKeepsTheRejectsAndRemovesEveryOtherTemporaryFile() throws {
        try "old plan\n".write(toFile: path("plan.ndjson"), atomically: false, encoding: .utf8)
        let rejects = try FileWriter(path: path("bad.csv"), keepOnInterrupt: true)
        try rejects.write("aq_error,aq_file,aq_line\n")
        try rejects.write("missing id,in.csv,2\n")
        let plan = try FileWriter(path: path("plan.ndjson"))
        try plan.write("half a plan")
        #expect(try names().count == 3)
        let kept = FileWriter.settle { $0.hasPrefix(directory.path) }
        #expect(kept == [path("bad.csv")])
        #expect(try names() == ["bad.csv", "plan.ndjson"], "no temporary file is left behind")
        #expect(try read("bad.csv") == "aq_error,aq_file,aq_line\nmissing id,in.csv,2\n")
        #expect(try read("plan.ndjson") == "old plan\n")
    }

    @Test func anOutputNotClosedLeavesTheTargetAsItWas() throws {
        try "old\n".write(toFile: path("out.ndjson"), atomically: false, encoding: .utf8)
        do {
            let writer = try FileWriter(path: path("out.ndjson"))
            try writer.write("half a plan")
        }
        let discarded = try FileWriter(path: path("new.ndjson"))
        try discarded.write("x")
        discarded.discard()
        #expect(try read("out.ndjson") == "old\n")
        #expect(try names() == ["out.ndjson"])
    }

    @Test func appendingStartsFromWhatIsThere() throws {
        try "one\n".write(toFile: path("rejects.csv"), atomically: false, encoding: .utf8)
        let writer = try FileWriter(path: path("rejects.csv"), append: true)
        try writer.write("two\n")
        try writer.close()
        #expect(try read("rejects.csv") == "one\ntwo\n")
        let fresh = try FileWriter(path: path("none.csv"), append: true)
        try fresh.write("only\n")
        try fresh.close()
        #expect(try read("none.csv") == "only\n")
    }

    @Test func aDirectoryAFifoAndADeviceAreRefusedAndLeftAlone() throws {
        try FileManager.default.createDirectory(atPath: path("dir"), withIntermediateDirectories: false)
        #expect(mkfifo(path("fifo"), 0o600) == 0)
        for (target, kind) in [
            (path("dir"), "a directory"), (path("fifo"), "a fifo"), ("/dev/null", "a character device"),
        ] {
            let error = #expect(throws: FileWriterError.self) { try FileWriter(path: target) }
            #expect(error?.reason == "it is \(kind), not a regular file; name a file", "\(target)")
            #expect(error?.description == "cannot write \(target): it is \(kind), not a regular file; name a file")
            #expect(throws: FileWriterError.self) { try FileWriter.checkTarget(target) }
            #expect(throws: FileWriterError.self) { try FileWriter(path: target, append: true) }
        }
        var info = stat()
        #expect(lstat(path("fifo"), &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
        #expect(lstat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
        #expect(try names() == ["dir", "fifo"])
    }

    @Test func aLinkToAFileIsKeptAndTheFileReplacedALinkToAnythingElseRefused() throws {
        try "theirs\n".write(toFile: path("elsewhere"), atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: path("link"), withDestinationPath: path("elsewhere"))
        try FileWriter.write(Array("mine\n".utf8), toPath: path("link"))
        #expect(try read("elsewhere") == "mine\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: path("link")) == path("elsewhere"))
        // `/dev/stdout` is such a link: replacing it would have put a regular file in /dev.
        try FileManager.default.createSymbolicLink(atPath: path("device-link"), withDestinationPath: "/dev/null")
        try FileManager.default.createSymbolicLink(atPath: path("dangling"), withDestinationPath: path("nothing"))
        for target in [path("device-link"), path("dangling"), "/dev/stdout", "/dev/stderr"] {
            #expect(throws: FileWriterError.self, "\(target)") { try FileWriter(path: target) }
        }
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/dev/stdout") == "/proc/self/fd/1")
        #expect(try names() == ["dangling", "device-link", "elsewhere", "link"])
    }

    @Test func aDashIsStandardOutputOnlyWhereAllowed() throws {
        try FileWriter.checkTarget("-", allowStandardOutput: true)
        // Elsewhere `-` is a name like any other.
        try FileWriter.write(Array("a file named -\n".utf8), toPath: path("-"))
        #expect(try read("-") == "a file named -\n")
    }

    @Test func aMissingDirectoryIsSaidBeforeWriting() throws {
        let target = path("no/such/dir/out.json")
        let error = #expect(throws: FileWriterError.self) { try FileWriter(path: target) }
        #expect(error?.description == "cannot write \(target): no directory \(path("no/such/dir"))")
        #expect(throws: FileWriterError.self) { try FileWriter.checkTarget(target) }
        try "a file".write(toFile: path("file"), atomically: false, encoding: .utf8)
        #expect(throws: FileWriterError.self) { try FileWriter.checkTarget(path("file/out.json")) }
    }
}
