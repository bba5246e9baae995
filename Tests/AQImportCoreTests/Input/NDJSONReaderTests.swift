import Testing

@testable import AQImportCore

@Suite("NDJSON reader")
struct NDJSONReaderTests {
    typealias T = InputTestSupport

    static let nested = """
        {"name":"llm","context":{"span_id":"0123456789abcdef","trace_id":"0123456789abcdef0123456789abcdef"},"start_time":"2026-01-15T12:34:56Z","attributes":{"input":{"value":"a \\"quoted\\" {text}, [1,2]"}}}

        {"context":{"trace_id":"t","span_id":"1111111111111111"},"start_time":"2026-01-15T12:35:00.5+00:00","events":[{"span_id":"not-me"}]}
           \t
        {"context.span_id":"span-\\u00e9\\ud83e\\udd8a","start_time":1768480496123,"extra":null}
        """

    @Test("nested and dotted keys, blank lines, last line without newline, any chunk size", arguments: T.chunkSizes)
    func spans(chunkSize: Int) throws {
        let result = try T.read(Self.nested, format: .ndjson, chunkSize: chunkSize)
        #expect(result.reader.kind == .span)
        #expect(result.reader.idColumn == "context.span_id")
        #expect(result.reader.timeColumn == "start_time")
        // The union of the first objects' keys, in the order first seen.
        #expect(
            result.reader.columns == [
                "name", "context.span_id", "context.trace_id", "start_time", "attributes.input.value", "events",
                "extra",
            ])
        #expect(result.records.map(\.id.text) == ["0123456789abcdef", "1111111111111111", "span-é🦊"])
        #expect(result.records.map(\.origin.line) == [1, 3, 5])
        #expect(
            result.records.map(\.timestamp) == [
                T.time("2026-01-15T12:34:56Z"), T.time("2026-01-15T12:35:00.5Z"), T.time("2026-01-15T12:34:56.123Z"),
            ])
        #expect(result.stats.rows == 3)
        #expect(result.stats.lines == 5)
        #expect(result.rejections.isEmpty)
    }

    @Test("CRLF lines and a BOM", arguments: T.chunkSizes)
    func crlf(chunkSize: Int) throws {
        let text =
            "\u{FEFF}{\"span_id\":\"a\",\"time\":\"2026-01-15 00:00:00\"}\r\n\r\n{\"span_id\":\"b\",\"time\":\"2026-01-15 00:00:01\"}\r\n"
        let result = try T.read(text, format: .ndjson, chunkSize: chunkSize)
        #expect(result.records.map(\.id.text) == ["a", "b"])
        #expect(result.records.map(\.origin.line) == [1, 3])
    }

    @Test("numbers as ids keep their literal text")
    func numericIDs() throws {
        let text = "{\"id\":12345}\n{\"id\":-0.5e3}\n{\"id\":\"7\"}\n"
        let result = try T.read(text, format: .ndjson, options: ReadOptions(datasetID: "ds"))
        #expect(result.reader.kind == .example)
        #expect(result.records.map(\.id.text) == ["12345", "-0.5e3", "7"])
        #expect(result.records.allSatisfy { $0.scope == .dataset(id: "ds", versionID: nil) && $0.timestamp == nil })
    }

    @Test("values that cannot be ids or times are rejected with the original line")
    func rejections() throws {
        let lines = [
            #"{"span_id":null,"time":1768480496}"#,
            #"{"time":1768480496}"#,
            #"{"span_id":"","time":1768480496}"#,
            #"{"span_id":{"a":1},"time":1768480496}"#,
            #"{"span_id":true,"time":1768480496}"#,
            #"{"span_id":"\ud800x","time":1768480496}"#,
            #"{"span_id":"ok","time":"soon"}"#,
            #"{"span_id":"ok","time":null}"#,
            #"{"span_id":"ok","time":-5}"#,
            #"{"span_id":"a\u0000b","time":1768480496}"#,
            #"{"span_id":"fine","time":1768480496,"other":"\ud800"}"#,
        ]
        let result = try T.read(lines.joined(separator: "\n") + "\r\n", format: .ndjson)
        #expect(
            result.rejections.map(\.reason.code) == [
                "missing_id", "missing_id", "missing_id", "invalid_value", "invalid_value", "invalid_value",
                "unreadable_timestamp", "missing_timestamp", "timestamp_out_of_range", "invalid_value",
            ])
        #expect(result.rejections.map(\.line) == Array(1...10))
        #expect(result.rejections.map(\.original) == lines.prefix(10).map { .ndjson(line: $0) })
        #expect(result.records.map(\.id.text) == ["fine"])
        #expect(result.rejections[3].reason == .invalidValue("the id in \"span_id\" is a JSON object"))
    }

    @Test("invalid UTF-8 matters in an id, not in a value we do not use")
    func invalidUTF8() throws {
        var bytes = Array(#"{"span_id":"a"#.utf8) + [0xC3] + Array(#"","time":1}"#.utf8) + [0x0A]
        bytes += Array(#"{"span_id":"b","time":1,"text":""#.utf8) + [0xFF, 0xC0] + Array(#""}"#.utf8)
        let result = try T.read(bytes, format: .ndjson)
        #expect(result.records.map(\.id.text) == ["b"])
        #expect(result.rejections.map(\.reason) == [.invalidValue("the id in \"span_id\" is not valid UTF-8")])
    }

    @Test(
        "a line that is not one JSON object is a structural error naming the line",
        arguments: [
            ("[{\"span_id\":\"a\"}]", "found a JSON array"),
            ("\"just a string\"", "expected a JSON object"),
            ("{\"span_id\":\"a\",}", "expected a key"),
            ("{\"span_id\":\"a\"", "expected ',' or '}'"),
            ("{\"span_id\":\"a}", "never closed"),
            ("{\"span_id\":\"a\\x\"}", "invalid escape"),
            ("{\"span_id\":\"a\\u12\"}", "four hex digits"),
            ("{\"span_id\":\"a\tb\"}", "control character"),
            ("{\"span_id\":01}", "expected ',' or '}'"),
            ("{\"span_id\":1.}", "digit after '.'"),
            ("{\"span_id\":1e}", "exponent"),
            ("{\"span_id\":tru}", "expected true"),
            ("{\"span_id\" \"a\"}", "expected ':'"),
            ("{\"span_id\":\"a\"} {}", "end of the line"),
            ("{\"span_id\":[1,]}", "expected a value"),
            ("{\"span_id\":'a'}", "expected a value"),
            ("{span_id:1}", "expected a key"),
        ])
    func structural(line: String, expected: String) throws {
        let text = "{\"span_id\":\"ok\",\"time\":1}\n\n" + line + "\n{\"span_id\":\"later\",\"time\":1}\n"
        for chunkSize in [1, 4096] {
            let error = try #require(T.error(text, format: .ndjson, chunkSize: chunkSize))
            #expect(error.line == 3)
            #expect(error.file == "test")
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }

    @Test("deep nesting is an error, not a stack overflow")
    func deepNesting() throws {
        let deep = String(repeating: "{\"a\":", count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        let error = try #require(T.error("{\"span_id\":\"x\",\"time\":1}\n" + deep + "\n", format: .ndjson))
        #expect(error.line == 2)
        #expect(error.message.contains("nested deeper than 512"))

        let arrays =
            "{\"span_id\":\"x\",\"time\":1,\"a\":" + String(repeating: "[", count: 511)
            + String(repeating: "]", count: 511) + "}"
        #expect(try T.read(arrays, format: .ndjson).records.count == 1)
    }

    @Test("a file without any object is refused")
    func noObject() throws {
        for text in ["", "\n\n  \n"] {
            let error = try #require(T.error(text, format: .ndjson))
            #expect(error.message.contains("no JSON object"))
        }
    }

    @Test("two values for the id's path reject the row; a duplicate key no role uses does not")
    func twoValuesForOnePath() throws {
        let text = #"{"context.span_id":"first","context":{"span_id":"second"},"time":1}"#
        let result = try T.read(text, format: .ndjson)
        #expect(result.records.isEmpty)
        #expect(result.rejections.map(\.reason) == [.invalidValue("duplicate key `context.span_id`")])
        let unused = try T.read(#"{"context.span_id":"a","x":{"y":1},"x.y":2,"time":1}"#, format: .ndjson)
        #expect(unused.records.map(\.id.text) == ["a"])
    }

    @Test("paths: look-alike prefixes, escaped keys, partly dotted nesting", arguments: T.chunkSizes)
    func paths(chunkSize: Int) throws {
        let text = [
            #"{"contextual":{"span_id":"no"},"context":{"span_id":"yes1"},"time":1}"#,
            #"{"context":{"span\u005fid":"yes2"},"time":1}"#,
            #"{"cont":{"ext.span_id":"no"},"context.span":{"id":"no"},"context.span_id":"yes3","time":1}"#,
            #"{"ctx":[{"context":{"span_id":"no"}}],"context":{"span_id":"yes4","x":{"deep":[1,{"a":"b"}]}},"time":1}"#,
        ].joined(separator: "\n")
        let result = try T.read(
            text, format: .ndjson, options: ReadOptions(idColumn: "context.span_id", projectID: "p"))
        #expect(result.records.map(\.id.text) == ["yes1", "yes2", "yes3", "yes4"])
        #expect(result.rejections.isEmpty)

        let sessions = #"""
            {"attributes":{"session.id":"s1"},"start_time":"2026-01-15T00:00:00Z"}
            {"attributes.session":{"id":"s2"},"start_time":"2026-01-15T00:00:00Z"}
            """#
        let session = try T.read(sessions, format: .ndjson, chunkSize: chunkSize)
        #expect(session.reader.kind == .session)
        #expect(session.records.map(\.id.text) == ["s1", "s2"])
    }

    @Test("a long line grows the buffer", arguments: [7, 4096])
    func longLine(chunkSize: Int) throws {
        let long = String(repeating: "x", count: 300_000)
        let text = "{\"span_id\":\"a\",\"time\":1,\"t\":\"\(long)\"}\n{\"t\":\"\(long)\",\"span_id\":\"b\",\"time\":2}"
        let result = try T.read(text, format: .ndjson, chunkSize: chunkSize)
        #expect(result.records.map(\.id.text) == ["a", "b"])
        #expect(result.records.map(\.origin.line) == [1, 2])
    }
}
