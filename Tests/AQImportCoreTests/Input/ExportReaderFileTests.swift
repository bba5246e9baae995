import Foundation
import Testing

@testable import AQImportCore

@Suite("Export files")
struct ExportReaderFileTests {
    typealias T = InputTestSupport

    static let csv = "span_id,time\nabc,2026-01-15T00:00:00Z\ndef,2026-01-15T00:00:01Z\n"

    private func write(_ bytes: [UInt8], _ name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    private func readAll(_ path: String, options: ReadOptions = ReadOptions(projectID: "p", computeSHA256: true)) throws
        -> (ExportReader, [ReadEvent], FileReadStats)
    {
        var reader = try ExportReader(path: path, fileIndex: 3, options: options)
        var events: [ReadEvent] = []
        let stats = try reader.read { events.append($0) }
        return (reader, events, stats)
    }

    @Test("the format comes from the extension, also under .gz, or from --format")
    func formats() throws {
        let dir = try T.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ndjson = Array("{\"span_id\":\"abc\",\"time\":1}\n".utf8)
        for (name, bytes, format) in [
            ("a.csv", Array(Self.csv.utf8), InputFormat.csv), ("b.ndjson", ndjson, .ndjson),
            ("c.JSONL", ndjson, .ndjson),
            ("d.csv.gz", T.gzip(Array(Self.csv.utf8)), .csv), ("e.jsonl.gz", T.gzip(ndjson), .ndjson),
        ] {
            let (reader, events, _) = try readAll(try write(bytes, name, in: dir))
            #expect(reader.format == format)
            guard case .record(let first) = try #require(events.first) else {
                Issue.record("expected a record from \(name)")
                continue
            }
            #expect(first.id == .text("abc"))
            #expect(first.origin == RowOrigin(fileIndex: 3, line: 2 - (format == .ndjson ? 1 : 0)))
        }
        let other = try write(Array(Self.csv.utf8), "export.txt", in: dir)
        let error = #expect(throws: InputError.self) {
            try ExportReader(path: other, fileIndex: 0, options: ReadOptions())
        }
        #expect(error?.message.contains("--format") == true)
        let (forced, _, _) = try readAll(other, options: ReadOptions(format: .csv, projectID: "p"))
        #expect(forced.format == .csv)
    }

    @Test("bytes and SHA-256 are of the file as stored")
    func fingerprint() throws {
        let dir = try T.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = try write(Array("span_id,time\nabc,1\n".utf8), "f.csv", in: dir)
        let (_, _, stats) = try readAll(plain)
        #expect(stats.bytes == 19)
        // printf 'span_id,time\nabc,1\n' | sha256sum
        #expect(stats.sha256Hex == "a33e56bcb7057b8e7178368182530b4c71c946d0c0d6927c6290a64d5ce198a9")

        let gz = T.gzip(Array(Self.csv.utf8))
        let (_, events, gzStats) = try readAll(try write(gz, "g.csv.gz", in: dir))
        #expect(events.count == 2)
        #expect(gzStats.bytes == gz.count)
        #expect(gzStats.decodedBytes == Self.csv.utf8.count)
        let (_, _, noHash) = try readAll(plain, options: ReadOptions(projectID: "p"))
        #expect(noHash.sha256Hex == nil)
    }

    @Test("gzip in small chunks, concatenated members, and truncation", arguments: T.chunkSizes)
    func gzip(chunkSize: Int) throws {
        let text = String(repeating: String(Self.csv.dropFirst(13)), count: 50)
        let whole = Array(("span_id,time\n" + text).utf8)
        let result = try T.read(T.gzip(whole), format: .csv, chunkSize: chunkSize)
        #expect(result.records.count == 100)

        let half = whole.count / 2
        let members = T.gzip(Array(whole[..<half])) + T.gzip(Array(whole[half...]))
        #expect(try T.read(members, format: .csv, chunkSize: chunkSize).records.count == 100)

        var truncated = T.gzip(whole)
        truncated.removeLast(5)
        let error = try #require(T.error(truncated, format: .csv, chunkSize: chunkSize))
        #expect(error.message.contains("truncated gzip"))

        var corrupt = T.gzip(whole)
        corrupt[12] ^= 0xFF
        corrupt[13] ^= 0xFF
        #expect(T.error(corrupt, format: .csv, chunkSize: chunkSize) != nil)
    }

    @Test("a file named .gz that is not gzip, a missing file, a directory, stdin without --format")
    func openErrors() throws {
        let dir = try T.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fake = try write(Array(Self.csv.utf8), "x.csv.gz", in: dir)
        let notGzip = #expect(throws: InputError.self) {
            try ExportReader(path: fake, fileIndex: 0, options: ReadOptions())
        }
        #expect(notGzip?.message.contains("not gzip") == true)

        let missing = dir.appendingPathComponent("nope.csv").path
        let notFound = #expect(throws: InputError.self) {
            try ExportReader(path: missing, fileIndex: 0, options: ReadOptions())
        }
        #expect(notFound?.file == missing)

        let folder = dir.appendingPathComponent("folder.csv")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        #expect(throws: InputError.self) { try ExportReader(path: folder.path, fileIndex: 0, options: ReadOptions()) }

        let stdin = #expect(throws: InputError.self) {
            try ExportReader(path: "-", fileIndex: 0, options: ReadOptions())
        }
        #expect(stdin?.file == "<stdin>")
        #expect(stdin?.message.contains("--format") == true)
    }

    @Test("a gzip file without the .gz name is still recognised")
    func sniffedGzip() throws {
        let result = try T.read(T.gzip(Array(Self.csv.utf8)), format: .csv)
        #expect(result.records.count == 2)
    }
}
