import Foundation
import Testing

@testable import AQImportCore

@Suite("Parquet reader")
struct ParquetReaderTests {
    typealias S = ParquetTestSupport
    static let base: Int64 = 1_768_435_200_000_000_000

    @Test("a span export with a struct id column, nulls and several row groups")
    func spans() throws {
        let result = try S.read(bytes: ParquetFixtures.spans)
        #expect(result.reader.format == .parquet)
        #expect(result.reader.kind == .span)
        #expect(result.reader.kindWasInferred)
        #expect(result.reader.idColumn == "context.span_id")
        #expect(result.reader.timeColumn == "start_time")
        #expect(
            result.reader.columns == [
                "context.span_id", "context.trace_id", "start_time", "name", "latency_ms", "ok", "tags.list.element",
            ])
        let lines = [1, 2, 3, 5, 6, 7, 9, 10, 11, 12]
        #expect(result.records.map(\.origin.line) == lines)
        #expect(
            result.records.map(\.id.text)
                == lines.map { $0 == 6 ? "span é 5" : String(0x1000 + $0 - 1, radix: 16).leftPadded(16) })
        #expect(
            result.records.map { $0.timestamp?.nanosecondsSinceEpoch }
                == lines.map { Self.base + Int64($0 - 1) * 1_500_000_001 })
        #expect(result.records.allSatisfy { $0.scope == .project(id: "p1") })
        #expect(result.rejections.map(\.line) == [4, 8])
        #expect(result.rejections.map(\.reason) == [.missingID, .missingTimestamp])
        #expect(result.stats.rows == 12)
        #expect(result.stats.records == 10)
        #expect(result.stats.rejected == 2)
        #expect(result.stats.bytes == ParquetFixtures.spans.count)
    }

    @Test("a rejected row comes back as an NDJSON object of its scalar columns, with aq_row")
    func rejectedRows() throws {
        let result = try S.read(bytes: ParquetFixtures.spans)
        let first = try #require(result.rejections.first)
        guard case .parquetRow(let object) = first.original else {
            Issue.record("not a Parquet row: \(first.original)")
            return
        }
        #expect(
            object
                == #"{"context.span_id":null,"context.trace_id":"t3","start_time":"2026-01-15T00:00:04.500000003Z","name":"llm 3","latency_ms":4.5,"ok":false}"#
        )
        let dir = try S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("x.rejects.ndjson").path
        let sink = RejectSink { _ in path }
        for rejection in result.rejections { try sink.write(rejection, fileIndex: 0) }
        _ = try sink.close()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasSuffix(#""aq_error":"missing or empty id","aq_file":"test.parquet","aq_row":4}"#))
        #expect(lines[1].contains(#""start_time":null"#))
        #expect(lines[1].hasSuffix(#""aq_row":8}"#))
        // The rejects file reads back: the fixed row is imported as NDJSON.
        #expect(
            RejectSink.defaultPath(input: "day/spans.parquet", format: .parquet, directory: "out")
                == "out/spans.rejects.ndjson")
    }

    @Test("UUID ids in canonical form, a dataset column, data page v2 with ZSTD")
    func examples() throws {
        let result = try S.read(bytes: ParquetFixtures.examples, options: ReadOptions())
        #expect(result.reader.kind == .example)
        #expect(
            result.records.map(\.id.text)
                == (0..<6).map { k in
                    let hex = String(k * 7919 + 1, radix: 16).leftPadded(12)
                    return "00000000-0000-0000-0000-\(hex)"
                })
        #expect(result.records.allSatisfy { $0.scope == .dataset(id: "ds1", versionID: nil) && $0.timestamp == nil })
    }

    @Test("when no column fits, the error lists the leaf columns with their types")
    func columnList() throws {
        let error = try #require(
            S.error(bytes: ParquetFixtures.spans, options: ReadOptions(idColumn: "nope", projectID: "p")))
        #expect(error.message.contains(#"no column "nope" (--id-column)"#))
        #expect(error.message.contains(#""context.span_id" (string)"#))
        #expect(error.message.contains(#""start_time" (timestamp[ns, UTC])"#))
        #expect(error.message.contains(#""latency_ms" (DOUBLE)"#))
        #expect(error.message.contains(#""tags.list.element" (string)"#))
    }

    @Test("--id-column and --time-column take dotted paths; a column inside a list cannot be the id")
    func dottedAndRepeated() throws {
        let byTrace = try S.read(
            bytes: ParquetFixtures.spans,
            options: ReadOptions(kind: .trace, idColumn: "context.trace_id", projectID: "p"))
        #expect(byTrace.records.count == 11)
        #expect(byTrace.records.first?.id.text == "t0")
        let repeated = try #require(
            S.error(
                bytes: ParquetFixtures.spans,
                options: ReadOptions(kind: .span, idColumn: "tags.list.element", projectID: "p"))
        )
        #expect(repeated.message.contains(#"column "tags.list.element" is inside a list"#))
        let double = try #require(
            S.error(
                bytes: ParquetFixtures.spans, options: ReadOptions(kind: .span, idColumn: "latency_ms", projectID: "p"))
        )
        #expect(double.message.contains(#"column "latency_ms" is DOUBLE"#))
        #expect(double.message.contains("must be a string, a UUID or an integer"))
        let badTime = try #require(
            S.error(bytes: ParquetFixtures.spans, options: ReadOptions(timeColumn: "ok", projectID: "p")))
        #expect(badTime.message.contains(#"column "ok" is BOOLEAN"#))
    }

    @Test("detection: .parquet, .pq, the PAR1 magic, --format parquet; stdin needs --format")
    func detection() throws {
        let options = ReadOptions()
        #expect(try ExportReader.format(of: "a/spans.parquet", name: "x", options: options) == .parquet)
        #expect(try ExportReader.format(of: "spans.PQ", name: "x", options: options) == .parquet)
        let dir = try S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let unnamed = dir.appendingPathComponent("export.bin")
        try Data(ParquetFixtures.spans).write(to: unnamed)
        #expect(try ExportReader.format(of: unnamed.path, name: "x", options: options) == .parquet)
        let csvNamed = dir.appendingPathComponent("export.csv")
        try Data(ParquetFixtures.spans).write(to: csvNamed)
        let forced = try S.read(path: csvNamed.path, options: ReadOptions(format: .parquet, projectID: "p"))
        #expect(forced.records.count == 10)
        #expect(throws: InputError.self) { try ExportReader.format(of: "-", name: "<stdin>", options: options) }
        let read = try S.read(path: unnamed.path)
        #expect(read.records.count == 10)
        #expect(read.stats.bytes == ParquetFixtures.spans.count)
    }

    @Test("only the used column chunks are read: the text column is never touched")
    func projection() throws {
        let dir = try S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("wide.parquet").path
        try Data(ParquetFixtures.wide).write(to: URL(fileURLWithPath: path))
        let input = try FileRandomAccessInput(path: path, name: path)
        let reader = try ParquetReader(input: input, name: path, fileIndex: 0)
        let options = ReadOptions(projectID: "p")
        try reader.configure(
            mapping: try ColumnMapping.resolve(columns: reader.columns, options: options, file: path), options: options)
        var records: [RecordRef] = []
        try reader.read { if case .record(let r) = $0 { records.append(r) } }
        #expect(records.map(\.id.text) == (1...4).map { String($0, radix: 16).leftPadded(16) })
        #expect(
            records.map { $0.timestamp?.nanosecondsSinceEpoch } == (0..<4).map { 1_768_435_200_000_000_000 + $0 * 1000 }
        )
        // 2,800 bytes of text are in the file; what was read is the footer and the two small chunks.
        #expect(input.bytesRead < ParquetFixtures.wide.count - 2800)
        #expect(reader.stats.decodedBytes == input.bytesRead)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
