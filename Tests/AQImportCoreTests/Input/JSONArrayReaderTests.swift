import Foundation
import Testing

@testable import AQImportCore

@Suite("JSON array reader")
struct JSONArrayReaderTests {
    typealias T = InputTestSupport

    /// Two spans as `ax spans export` writes them: indent=2, REST shape, nested context, an
    /// attributes object with dotted keys, evaluations as a list, a NaN where a float is missing.
    static let axExport = """
        [
          {
            "name": "llm",
            "context": {
              "trace_id": "0123456789abcdef0123456789abcdef",
              "span_id": "0123456789abcdef"
            },
            "kind": "LLM",
            "start_time": "2026-03-02T08:14:47.547212Z",
            "attributes": {
              "session.id": "s-1",
              "llm.token_count.total": NaN,
              "input.value": "say \\"hi\\" [1, {2}]"
            },
            "evaluations": [
              {"name": "correctness", "label": "correct", "score": 1.0, "explanation": "ok"}
            ]
          },
          {
            "name": "tool",
            "context": {"trace_id": "0123456789abcdef0123456789abcdef", "span_id": "1111111111111111"},
            "start_time": "2026-03-02T08:14:48Z",
            "attributes": {"score": Infinity, "low": -Infinity}
          }
        ]

        """

    @Test("an ax spans export: pretty-printed, nested, NaN in unused fields, any chunk size", arguments: T.chunkSizes)
    func axSpans(chunkSize: Int) throws {
        let result = try T.read(Self.axExport, format: .json, chunkSize: chunkSize)
        #expect(result.reader.format == .json)
        #expect(result.reader.kind == .span)
        #expect(result.reader.idColumn == "context.span_id")
        #expect(result.reader.timeColumn == "start_time")
        #expect(result.records.map(\.id.text) == ["0123456789abcdef", "1111111111111111"])
        #expect(result.records.map(\.origin.line) == [2, 19])
        #expect(
            result.records.map(\.timestamp) == [T.time("2026-03-02T08:14:47.547212Z"), T.time("2026-03-02T08:14:48Z")])
        #expect(result.rejections.isEmpty)
        #expect(result.stats.rows == 2)
        #expect(result.stats.lines == 25)
        #expect(result.reader.columns.contains("attributes.session.id"))
    }

    @Test("session ids from an attributes object with dotted keys, every split of nesting and dots")
    func sessions() throws {
        let text = """
            [{"attributes": {"session.id": "s1"}, "start_time": 1768435200},
             {"attributes": {"session": {"id": "s2"}}, "start_time": 1768435200},
             {"attributes.session": {"id": "s3"}, "start_time": 1768435200},
             {"attributes.session.id": "s4", "start_time": 1768435200}]
            """
        let result = try T.read(text, format: .json)
        #expect(result.reader.kind == .session)
        #expect(result.records.map(\.id.text) == ["s1", "s2", "s3", "s4"])
    }

    @Test("whitespace anywhere, CRLF, a byte-order mark, an empty-looking start", arguments: T.chunkSizes)
    func whitespace(chunkSize: Int) throws {
        let text =
            "\u{FEFF}\r\n \t\r\n[\r\n\r\n{ \"span_id\"\r\n:\r\n\"a\" ,\"time\":1768435200}\r\n,\r\n{\"span_id\":\"b\",\"time\":1768435201}]\r\n\r\n"
        let result = try T.read(text, format: .json, chunkSize: chunkSize)
        #expect(result.records.map(\.id.text) == ["a", "b"])
        #expect(result.records.map(\.origin.line) == [5, 9])
        #expect(result.stats.lines == 10)

        let compact = try T.read(#"[{"span_id":"a","time":1}]"#, format: .json, chunkSize: chunkSize)
        #expect(compact.records.map(\.id.text) == ["a"])
        #expect(compact.stats.lines == 1)
    }

    @Test("a .json file that holds NDJSON is read as NDJSON", arguments: T.chunkSizes)
    func ndjsonInside(chunkSize: Int) throws {
        let text = "\n  \n{\"span_id\":\"a\",\"time\":1}\n{\"span_id\":\"b\",\"time\":2}\n"
        let result = try T.read(text, format: .json, chunkSize: chunkSize)
        #expect(result.reader.format == .ndjson)
        #expect(result.records.map(\.id.text) == ["a", "b"])
        #expect(result.records.map(\.origin.line) == [3, 4])
        let bom = try T.read("\u{FEFF}{\"span_id\":\"a\",\"time\":1}", format: .json, chunkSize: chunkSize)
        #expect(bom.reader.format == .ndjson)
        #expect(bom.records.map(\.id.text) == ["a"])
    }

    @Test("the format comes from .json, and rejects of a JSON array go to an NDJSON file")
    func formatFromName() throws {
        #expect(try ExportReader.format(of: "spans.json", name: "spans.json", options: ReadOptions()) == .json)
        #expect(try ExportReader.format(of: "spans.JSON.gz", name: "x", options: ReadOptions()) == .json)
        #expect(
            RejectSink.defaultPath(input: "dir/spans.json", format: .json, directory: "/r") == "/r/spans.rejects.ndjson"
        )
        #expect(RejectSink.defaultPath(input: "spans.csv", format: .csv, directory: "/r") == "/r/spans.rejects.csv")
    }

    @Test("a gzipped JSON array from a file")
    func gzipFile() throws {
        let dir = try T.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("spans.json.gz").path
        try Data(T.gzip(Array(Self.axExport.utf8))).write(to: URL(fileURLWithPath: path))
        var reader = try ExportReader(path: path, fileIndex: 0, options: ReadOptions(projectID: "p"))
        var ids: [String] = []
        _ = try reader.read { if case .record(let r) = $0 { ids.append(r.id.text) } }
        #expect(reader.format == .json)
        #expect(ids == ["0123456789abcdef", "1111111111111111"])
    }

    @Test("rejected objects keep their line and become one NDJSON line each", arguments: [1, 4096])
    func rejections(chunkSize: Int) throws {
        let text = """
            [
              {"span_id": "ok", "time": 1768435200},
              {
                "span_id": NaN,
                "time": 1768435200,
                "note": "a  b\\" c"
              },
              {"span_id": "x", "time": "soon"},
              {"span_id": Infinity, "time": 1},
              {"span_id": "y", "time": -Infinity}
            ]
            """
        let result = try T.read(text, format: .json, chunkSize: chunkSize)
        #expect(result.records.map(\.id.text) == ["ok"])
        #expect(result.rejections.map(\.line) == [3, 8, 9, 10])
        #expect(
            result.rejections.map(\.reason) == [
                .invalidValue("the id in \"span_id\" is NaN"), .unreadableTimestamp("soon"),
                .invalidValue("the id in \"span_id\" is Infinity"), .unreadableTimestamp("time is -Infinity"),
            ])
        #expect(result.rejections[0].original == .ndjson(line: #"{"span_id":NaN,"time":1768435200,"note":"a  b\" c"}"#))
        #expect(result.rejections[1].original == .ndjson(line: #"{"span_id":"x","time":"soon"}"#))
    }

    @Test(
        "a file that is not one array of objects is a structural error naming line and column",
        arguments: [
            ("[\n{\"span_id\":\"a\",\"time\":1},\n]", 3, "expected a JSON object"),
            ("[\n{\"span_id\":\"a\",\"time\":1}\n{\"span_id\":\"b\",\"time\":1}]", 3, "expected ',' or ']'"),
            ("[\n{\"span_id\":\"a\",\"time\":1},\n\"text\"]", 3, "expected a JSON object"),
            ("[\n{\"span_id\":\"a\",\"time\":1},\n{\"span_id\":\"b\",\n\"time\":1]", 4, "expected ',' or '}'"),
            ("[\n{\"span_id\":\"a\",\"time\":1}\n\n", 4, "never closed"),
            ("[\n{\"span_id\":\"a\",\"time\":1}]\n{}", 3, "end of the file"),
            ("[\n{\"span_id\":\"a\",\"time\":1},\n{\"span_id\":\"b\",\"time\":nul}]", 3, "expected null"),
            ("[\n{\"span_id\":\"a\",\"time\":1},\n{\"span_id\":\"b\",\"time\":1,", 3, "the file ended"),
            ("[\n{\"span_id\":\"a\",\"time\":1},\n{\"span_id\":\"b\\", 3, "never closed"),
            ("[\n{\"span_id\":\"a\",\"time\":1},\n{\"span_id\":\"b\\u00", 3, "four hex digits"),
            ("[\n{\"span_id\":\"a\",\"time\":1},\n{\"span_id\":\"b\",\"time\":Nan}]", 3, "expected NaN"),
            ("\n\n42", 3, "expected a JSON array"),
        ])
    func structural(text: String, line: Int, expected: String) throws {
        for chunkSize in T.chunkSizes {
            let error = try #require(T.error(text, format: .json, chunkSize: chunkSize))
            #expect(error.line == line, "\(error) at chunk size \(chunkSize)")
            #expect(error.file == "test")
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }

    @Test("an empty array or an empty file is refused")
    func empty() throws {
        #expect(try #require(T.error("[ ]", format: .json)).message.contains("holds no objects"))
        #expect(try #require(T.error("  \n", format: .json)).message.contains("no JSON array"))
    }

    @Test("a surrogate pair cut by a chunk boundary is still one character", arguments: 1...12)
    func surrogateAcrossChunks(chunkSize: Int) throws {
        let text = #"[{"span_id":"\ud83e\udd8a","time":1}]"#
        let result = try T.read(text, format: .json, chunkSize: chunkSize)
        #expect(result.records.map(\.id.text) == ["🦊"])
    }

    @Test("a long object grows the buffer; one past the row size limit is refused", arguments: [7, 4096])
    func longObject(chunkSize: Int) throws {
        let long = String(repeating: "x", count: 300_000)
        let text =
            "[{\"span_id\":\"a\",\"time\":1,\"t\":\"\(long)\"},\n{\"t\":\"\(long)\",\"span_id\":\"b\",\"time\":2}]"
        let result = try T.read(text, format: .json, chunkSize: chunkSize)
        #expect(result.records.map(\.id.text) == ["a", "b"])
        #expect(result.records.map(\.origin.line) == [1, 2])

        var options = ReadOptions(projectID: "p1")
        options.rowSizeLimit = RowSizeLimit(maxBytes: 200_000)
        let error = try #require(T.error(text, format: .json, options: options, chunkSize: chunkSize))
        #expect(error.line == 1)
        #expect(error.message.contains("row size limit"), "\(error.message)")
    }

    @Test("the same records as CSV, NDJSON and a JSON array read alike")
    func sameAsCSV() throws {
        let csv = "context.span_id,start_time,project_id\na1,2026-01-15 00:00:00,p\nb2,1768435201,q\n,1,p\n"
        let ndjson = """
            {"context.span_id":"a1","start_time":"2026-01-15 00:00:00","project_id":"p"}
            {"context":{"span_id":"b2"},"start_time":1768435201,"project_id":"q"}
            {"context":{"span_id":null},"start_time":1,"project_id":"p"}
            """
        let json = "[\n" + ndjson.split(separator: "\n").joined(separator: ",\n") + "\n]"
        let a = try T.read(csv, format: .csv)
        let b = try T.read(ndjson, format: .ndjson)
        let c = try T.read(json, format: .json)
        func strip(_ r: [RecordRef]) -> [String] {
            r.map { "\($0.kind) \($0.id.text) \($0.scope) \(String(describing: $0.timestamp))" }
        }
        #expect(strip(a.records) == strip(c.records))
        #expect(strip(b.records) == strip(c.records))
        #expect(a.rejections.map(\.reason) == c.rejections.map(\.reason))
        #expect(c.records.map(\.origin.line) == [2, 3])
    }
}

@Suite("JSON objects: detection, duplicate keys, literals, named lists")
struct JSONObjectTests {
    typealias T = InputTestSupport

    /// Reads `text` and gives the records, rejections and the keys the reader says it used.
    static func read(_ text: String, format: InputFormat, options: ReadOptions = ReadOptions(projectID: "p1")) throws
        -> (records: [RecordRef], rejections: [Rejection], keysUsed: (id: String, time: String?)?)
    {
        var reader = try T.open(Array(text.utf8), format: format, options: options)
        var records: [RecordRef] = []
        var rejections: [Rejection] = []
        let stats = try reader.read { event in
            switch event {
            case .record(let r): records.append(r)
            case .rejected(let r): rejections.append(r)
            case .records: Issue.record("runs that were not asked for")
            }
        }
        try RecordRunAgreement.check(records: records, rejections: rejections, stats: stats, options: options) {
            try T.open(Array(text.utf8), format: format, options: $0)
        }
        return (records, rejections, reader.keysUsed)
    }

    @Test(
        "columns come from the first objects, not the first only; every candidate name counts",
        arguments: [InputFormat.ndjson, .json])
    func detection(format: InputFormat) throws {
        let lines = [
            #"{"name":"no id here","start_time":1768435200}"#,
            #"{"context":{"span_id":"a"},"start_time":1768435200}"#,
            #"{"span_id":"b","start_time":1768435201}"#,
            #"{"span_id":"c","time":1768435202}"#,
        ]
        let text = format == .json ? "[" + lines.joined(separator: ",\n") + "]" : lines.joined(separator: "\n")
        let result = try T.read(text, format: format)
        #expect(result.reader.kind == .span)
        #expect(result.reader.idColumn == "context.span_id")
        #expect(result.records.map(\.id.text) == ["a", "b", "c"])
        #expect(result.records.map(\.timestamp) == [1768435200, 1768435201, 1768435202].map { T.time(String($0)) })
        #expect(result.rejections.map(\.reason) == [.missingID])
        let used = try Self.read(text, format: format).keysUsed
        #expect(used?.id == "context.span_id (1), span_id (2)")
        #expect(used?.time == "start_time (3), time (1)")
    }

    @Test("a file with one spelling names it alone in the summary; --id-column names the only key looked at")
    func keysUsed() throws {
        let text = "{\"span_id\":\"a\",\"time\":1}\n{\"context.span_id\":\"b\",\"span_id\":\"c\",\"time\":1}\n"
        let plain = try T.read(text, format: .ndjson)
        #expect(plain.records.map(\.id.text) == ["a", "b"])
        #expect(try Self.read(text, format: .ndjson).keysUsed?.id == "context.span_id (1), span_id (1)")
        let one = try Self.read("{\"span_id\":\"a\",\"time\":1}\n{\"span_id\":\"b\",\"time\":1}", format: .ndjson)
        #expect(one.keysUsed?.id == "span_id")
        let given = try Self.read(text, format: .ndjson, options: ReadOptions(idColumn: "span_id", projectID: "p"))
        #expect(given.records.map(\.id.text) == ["a", "c"])
        #expect(given.keysUsed?.id == "span_id")
        #expect(given.keysUsed?.time == "time")

    }

    @Test(
        "detection stops after 1,000 objects; later rows with a candidate still count",
        arguments: [InputFormat.ndjson, .json])
    func detectionWindow(format: InputFormat) throws {
        var lines = Array(repeating: #"{"x":1}"#, count: 1000)
        lines.append(#"{"span_id":"late","time":1}"#)
        let text = format == .json ? "[" + lines.joined(separator: ",\n") + "]" : lines.joined(separator: "\n")
        let error = try #require(T.error(text, format: format))
        #expect(error.message.contains("no id column found"))
        lines[999] = #"{"span_id":"a","time":1}"#
        let text2 = format == .json ? "[" + lines.joined(separator: ",\n") + "]" : lines.joined(separator: "\n")
        let result = try T.read(text2, format: format)
        #expect(result.records.map(\.id.text) == ["a", "late"])
        #expect(result.rejections.count == 999)
    }

    @Test(
        "a duplicate key aq-import uses rejects the object; one it does not use is fine",
        arguments: [InputFormat.ndjson, .json])
    func duplicates(format: InputFormat) throws {
        let lines = [
            #"{"context":{"span_id":"a","span_id":"b"},"time":1}"#,
            #"{"context.span_id":"a","context":{"span_id":"a"},"time":1}"#,
            #"{"context":{"span_id":"c"},"time":1,"time":2}"#,
            #"{"context":{"span_id":"d"},"time":1,"note":1,"note":2}"#,
            #"{"context":{"span_id":"e"},"time":1,"project_id":"p","project_id":"q"}"#,
        ]
        let text = format == .json ? "[" + lines.joined(separator: ",\n") + "]" : lines.joined(separator: "\n")
        let result = try T.read(text, format: format)
        #expect(result.records.map(\.id.text) == ["d"])
        #expect(
            result.rejections.map(\.reason) == [
                .invalidValue("duplicate key `context.span_id`"), .invalidValue("duplicate key `context.span_id`"),
                .invalidValue("duplicate key `time`"), .invalidValue("duplicate key `project_id`"),
            ])
        #expect(result.rejections.map(\.line) == [1, 2, 3, 5])
    }

    @Test("NaN, Infinity and -Infinity in NDJSON: accepted where unused, rejected as an id or a time")
    func literals() throws {
        let text = """
            {"span_id":"a","time":1,"score":NaN,"x":[Infinity,-Infinity],"y":{"z":-Infinity}}
            {"span_id":NaN,"time":1}
            {"span_id":"b","time":NaN}
            {"span_id":-Infinity,"time":1}
            """
        let result = try T.read(text, format: .ndjson)
        #expect(result.records.map(\.id.text) == ["a"])
        #expect(result.rejections.map(\.reason.code) == ["invalid_value", "unreadable_timestamp", "invalid_value"])
        #expect(
            T.error("{\"span_id\":\"a\",\"time\":1,\"s\":-Inf}", format: .ndjson)?.message.contains("-Infinity") == true
        )
        #expect(T.error("{\"span_id\":\"a\",\"time\":1,\"s\":nan}", format: .ndjson) != nil)
    }

    /// Scans `text` with `targets` and gives each target's text (nil when absent), or the
    /// duplicated target.
    static func scan(_ text: String, _ targets: [String]) throws -> (values: [String?], duplicate: Int) {
        var scanner = JSONLineScanner(targets: targets.map { Array($0.utf8) })
        defer { scanner.release() }
        let bytes = Array(text.utf8)
        _ = try bytes.withUnsafeBytes { try scanner.scan($0) }
        let values: [String?] = targets.indices.map { t in
            switch scanner.found[t] {
            case .absent: return nil
            case .null: return "null"
            case .string, .number: return String(decoding: scanner.arena[scanner.ranges[t]], as: UTF8.self)
            case .unusable(let what): return "unusable: \(what)"
            }
        }
        return (values, scanner.duplicateTarget)
    }

    @Test("evaluations and annotations lists answer to the export's flat names")
    func namedLists() throws {
        let text = #"""
            {"context":{"span_id":"a"},"evaluations":[{"label":"wrong","name":"correctness","score":0.25,"explanation":"no \"x\""},{"name":"tone","label":null},7,[{"name":"correctness","label":"nested"}]],"annotations":[{"name":"review","label":"good","score":-1,"text":"fine","extra":{"label":"not this"}}],"x":{"evaluations":[{"name":"tone","label":"deep"}]}}
            """#
        let targets = [
            "eval.correctness.label", "eval.correctness.score", "eval.correctness.explanation", "eval.tone.label",
            "annotation.review.label", "annotation.review.score", "annotation.review.text", "eval.review.label",
            "context.span_id", "annotation.review.explanation",
        ]
        let (values, duplicate) = try Self.scan(text, targets)
        #expect(
            values == ["wrong", "0.25", "no \"x\"", "null", "good", "-1", "fine", nil, "a", nil])
        #expect(duplicate == -1)

        let twice = #"{"evaluations":[{"name":"c","label":"x"},{"name":"c","label":"y"}],"eval.c.score":1}"#
        let second = try Self.scan(twice, ["eval.c.label", "eval.c.score"])
        #expect(second.values == ["x", "1"])
        #expect(second.duplicate == 0)

        let flat = #"{"eval.c.label":"flat","evaluations":[{"name":"c","label":"listed"}]}"#
        #expect(try Self.scan(flat, ["eval.c.label"]).duplicate == 0)
        #expect(
            try Self.scan(#"{"evaluations":[{"name":"c","label":NaN}]}"#, ["eval.c.label"]).values == ["unusable: NaN"])
    }
}

@Suite("The committed samples: every format of the same spans reads alike")
struct SampleFormatsTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("samples")

    /// The records of a sample, as (kind, scope, id, time) text, in file order.
    static func records(_ name: String) throws -> [String] {
        var reader = try ExportReader(
            path: samples.appendingPathComponent(name).path, fileIndex: 0, options: ReadOptions())
        var out: [String] = []
        _ = try reader.read { event in
            if case .record(let r) = event {
                out.append("\(r.kind) \(r.scope) \(r.id.text) \(String(describing: r.timestamp))")
            }
        }
        return out
    }

    @Test("spans.csv, spans.ndjson, spans-ax.json and spans-ax-all.json give the same records")
    func spans() throws {
        let csv = try Self.records("spans.csv")
        #expect(csv.count == 490)
        for name in ["spans.ndjson", "spans-ax.json", "spans-ax-all.json"] {
            #expect(try Self.records(name) == csv, "\(name)")
        }
    }
}
