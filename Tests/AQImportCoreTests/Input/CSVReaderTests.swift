import Testing

@testable import AQImportCore

@Suite("CSV reader")
struct CSVReaderTests {
    typealias T = InputTestSupport

    /// A pandas-style span export: zone-less times, quoted text holding commas, quotes and newlines.
    static let spans = """
        context.span_id,context.trace_id,name,attributes.input.value,start_time
        0123456789abcdef,0123456789abcdef0123456789abcdef,llm,"Hello, ""world""
        second line",2026-01-15 12:34:56.123456
        1111111111111111,0123456789abcdef0123456789abcdef,tool,plain,2026-01-15 12:35:00

        2222222222222222,0123456789abcdef0123456789abcdef,"x
        y
        z",,2026-01-15T12:36:00Z

        """

    @Test("quoted fields, embedded newlines, blank lines, in any chunk size", arguments: T.chunkSizes)
    func spansLF(chunkSize: Int) throws {
        let result = try T.read(Self.spans, format: .csv, chunkSize: chunkSize)
        #expect(result.reader.kind == .span)
        #expect(result.reader.kindWasInferred)
        #expect(result.reader.idColumn == "context.span_id")
        #expect(result.reader.timeColumn == "start_time")
        #expect(result.records.map(\.id.text) == ["0123456789abcdef", "1111111111111111", "2222222222222222"])
        #expect(result.records.map(\.origin.line) == [2, 4, 6])
        #expect(result.records.allSatisfy { $0.scope == .project(id: "p1") && $0.kind == .span })
        #expect(result.records[0].timestamp == T.time("2026-01-15T12:34:56.123456Z"))
        #expect(result.records[2].timestamp == T.time("2026-01-15T12:36:00Z"))
        #expect(result.rejections.isEmpty)
        #expect(result.stats.rows == 3)
        #expect(result.stats.records == 3)
        #expect(result.stats.lines == 8)
    }

    @Test("CRLF line ends, a BOM, and a last row without a newline", arguments: T.chunkSizes)
    func crlfBOMNoFinalNewline(chunkSize: Int) throws {
        var text = Self.spans.replacingOccurrences(of: "\n", with: "\r\n")
        text.removeLast(2)
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        let result = try T.read(bytes, format: .csv, chunkSize: chunkSize)
        #expect(result.reader.columns.first == "context.span_id")
        #expect(result.records.map(\.origin.line) == [2, 4, 6])
        #expect(result.records.map(\.id.text) == ["0123456789abcdef", "1111111111111111", "2222222222222222"])
        #expect(result.records[2].timestamp == T.time("2026-01-15T12:36:00Z"))
    }

    @Test("a last row without a newline ending in a quoted field", arguments: T.chunkSizes)
    func lastQuotedField(chunkSize: Int) throws {
        let result = try T.read("span_id,time\nabc,\"2026-01-15T00:00:00Z\"", format: .csv, chunkSize: chunkSize)
        #expect(result.records.map(\.id) == [.text("abc")])
        #expect(result.records.first?.origin.line == 2)
    }

    @Test("a ragged row is rejected with its original fields; the others are read", arguments: T.chunkSizes)
    func raggedRow(chunkSize: Int) throws {
        let text =
            "span_id,time,note\na,2026-01-15T00:00:00Z,x\nb,2026-01-15T00:00:00Z\nc,2026-01-15T00:00:00Z,\"q,\"\"r\"\"\",extra\nd,2026-01-15T00:00:00Z,y\n"
        let result = try T.read(text, format: .csv, chunkSize: chunkSize)
        #expect(result.records.map(\.id.text) == ["a", "d"])
        #expect(result.rejections.map(\.line) == [3, 4])
        let first = try #require(result.rejections.first)
        #expect(first.file == "test")
        #expect(first.reason == .invalidValue("the row has 2 fields, the header has 3"))
        #expect(first.original == .csv(header: ["span_id", "time", "note"], fields: ["b", "2026-01-15T00:00:00Z"]))
        #expect(
            result.rejections[1].original
                == .csv(
                    header: ["span_id", "time", "note"], fields: ["c", "2026-01-15T00:00:00Z", "q,\"r\"", "extra"]))
        #expect(result.stats.rows == 4)
        #expect(result.stats.rejected == 2)
    }

    @Test("a quote never closed names the line its row starts on", arguments: T.chunkSizes)
    func unclosedQuote(chunkSize: Int) throws {
        let text = "span_id,time,note\na,2026-01-15T00:00:00Z,ok\nb,2026-01-15T00:00:00Z,\"never\nclosed\nat all\n"
        let error = try #require(T.error(text, format: .csv, chunkSize: chunkSize))
        #expect(error.file == "test")
        #expect(error.line == 3)
        #expect(error.message.contains("never closed"))
    }

    @Test(
        "a stray quote is a structural error naming the line",
        arguments: [
            "span_id,time\na,2026-01-15T00:00:00Z\nb\"c,2026-01-15T00:00:00Z\n",
            "span_id,time\na,2026-01-15T00:00:00Z\n\"b\"c,2026-01-15T00:00:00Z\n",
        ])
    func strayQuote(text: String) throws {
        for chunkSize in T.chunkSizes {
            let error = try #require(T.error(text, format: .csv, chunkSize: chunkSize))
            #expect(error.line == 3)
            #expect(error.message.contains("expected RFC 4180"))
        }
    }

    @Test("rows that cannot become records are rejected with their reason")
    func rejections() throws {
        let text = """
            span_id,start_time,project_id
            ,2026-01-15T00:00:00Z,
            a,,
            b,someday,
            c,1900-01-01 00:00:00,
            d,2026-01-15T00:00:00Z,proj-9
            e,2026-01-15T00:00:00Z,
            " f",2026-01-15T00:00:00Z,
            "g ",2026-01-15T00:00:00Z,
            "with space",2026-01-15T00:00:00Z,

            """
        let result = try T.read(text, format: .csv)
        #expect(
            result.rejections.map(\.reason.code) == [
                "missing_id", "missing_timestamp", "unreadable_timestamp", "timestamp_out_of_range",
            ])
        #expect(result.rejections.map(\.line) == [2, 3, 4, 5])
        #expect(result.rejections[2].reason == .unreadableTimestamp("someday"))
        #expect(result.records.map(\.id.text) == ["d", "e", "f", "g", "with space"])
        #expect(
            result.records.map(\.scope) == [.project(id: "proj-9")] + Array(repeating: .project(id: "p1"), count: 4))
    }

    @Test("a row without a project id is rejected when no --project-id is given")
    func missingScope() throws {
        let text = "span_id,time,project_id\na,2026-01-15T00:00:00Z,p7\nb,2026-01-15T00:00:00Z,\n"
        let result = try T.read(text, format: .csv, options: ReadOptions())
        #expect(result.records.map(\.scope) == [.project(id: "p7")])
        #expect(result.rejections.map(\.reason.code) == ["missing_scope"])
        #expect(result.rejections.first?.line == 3)
    }

    @Test("an empty time cell takes the fixed window when one is given")
    func emptyTimeWithWindow() throws {
        let window = TimeWindow(start: T.time("2026-01-15"), end: T.time("2026-01-16"))
        let result = try T.read(
            "span_id,time\na,\nb,2026-01-15T01:00:00Z\n", format: .csv,
            options: ReadOptions(projectID: "p", fixedWindow: window))
        #expect(result.records.map(\.timestamp) == [nil, T.time("2026-01-15T01:00:00Z")])
    }

    @Test("ids: hex, text, spaces and emoji kept; invalid UTF-8, control bytes and huge ids rejected")
    func ids() throws {
        var bytes = Array("span_id,time,note\n".utf8)
        let row = { (id: [UInt8], note: [UInt8]) in
            bytes += id + Array(",2026-01-15T00:00:00Z,".utf8) + note + [0x0A]
        }
        row(Array("0123456789abcdef".utf8), [0xFF, 0xFE])
        row(Array("0123456789ABCDEF".utf8), [])
        row(Array("a b".utf8), [])
        row(Array("🦊-span".utf8), [])
        row([0x61, 0xFF, 0x62], [])
        row([0x61, 0x00, 0x62], [])
        row(Array(repeating: 0x61, count: 10_000), [])
        row(Array("\"\u{3000}wide\"".utf8), [])
        let result = try T.read(bytes, format: .csv, chunkSize: 7)
        #expect(
            result.records.map(\.id) == [
                .hex64(0x0123_4567_89ab_cdef), .text("0123456789ABCDEF"), .text("a b"), .text("🦊-span"),
            ])
        #expect(result.rejections.map(\.line) == [6, 7, 8, 9])
        #expect(result.rejections.allSatisfy { $0.reason.code == "invalid_value" })
        #expect(result.rejections[0].reason == .invalidValue("the id in \"span_id\" is not valid UTF-8"))
    }

    @Test("spaces and tabs around ids are trimmed, inner ones kept")
    func spacesTrimmed() throws {
        let result = try T.read(
            "span_id,time,project_id\nab , 2026-01-15T00:00:00Z,\t\n\" a b\t\",2026-01-15T00:00:00Z,  q \n",
            format: .csv)
        #expect(result.records.map(\.id.text) == ["ab", "a b"])
        #expect(result.records.map(\.scope) == [.project(id: "p1"), .project(id: "q")])
        #expect(result.records.first?.timestamp == T.time("2026-01-15T00:00:00Z"))
    }

    @Test("a rejected row spanning lines and chunks comes back whole", arguments: T.chunkSizes)
    func rejectedMultilineRow(chunkSize: Int) throws {
        let text =
            "span_id,time,note\r\n,2026-01-15T00:00:00Z,\"one, \"\"two\"\"\r\nthree\"\r\nb,2026-01-15T00:00:00Z,x\r\n"
        let result = try T.read(text, format: .csv, chunkSize: chunkSize)
        #expect(result.records.map(\.id.text) == ["b"])
        #expect(result.records.first?.origin.line == 4)
        let rejection = try #require(result.rejections.first)
        #expect(rejection.line == 2)
        #expect(rejection.reason == .missingID)
        #expect(
            rejection.original
                == .csv(
                    header: ["span_id", "time", "note"], fields: ["", "2026-01-15T00:00:00Z", "one, \"two\"\r\nthree"]))
    }

    @Test("an empty file is an error; a header alone gives no rows")
    func emptyAndHeaderOnly() throws {
        for chunkSize in T.chunkSizes {
            let error = try #require(T.error("", format: .csv, chunkSize: chunkSize))
            #expect(error.message.contains("empty file"))
            #expect(try #require(T.error("\u{FEFF}\r\n\r\n", format: .csv)).message.contains("empty file"))
            let headerOnly = try T.read("span_id,time", format: .csv, chunkSize: chunkSize)
            #expect(headerOnly.stats.rows == 0)
            #expect(headerOnly.records.isEmpty)
        }
    }

    @Test("a header that is not UTF-8 is refused")
    func binaryHeader() throws {
        let error = try #require(T.error([0x00, 0xFF, 0xFE, 0x0A, 0x01, 0x0A], format: .csv))
        #expect(error.line == 1)
        #expect(error.message.contains("UTF-8"))
    }

    @Test("an error thrown by the handler stops reading and comes back out")
    func handlerError() throws {
        struct Stop: Error {}
        var reader = try T.open(Array("span_id,time\na,1\nb,1\nc,1\n".utf8), format: .csv, chunkSize: 2)
        var seen = 0
        #expect(throws: Stop.self) {
            _ = try reader.read { _ in
                seen += 1
                if seen == 2 { throw Stop() }
            }
        }
        #expect(seen == 2)
    }

    @Test("a huge field and a wide header are read")
    func bigFieldAndWideHeader() throws {
        let big = String(repeating: "x,\"y\"\n", count: 200_000)
        let text =
            "span_id,time,text\na,2026-01-15T00:00:00Z,\"\(big.replacingOccurrences(of: "\"", with: "\"\""))\"\nb,2026-01-15T00:00:00Z,z\n"
        let result = try T.read(text, format: .csv)
        #expect(result.records.map(\.origin.line) == [2, 200_003])

        let names = (0..<100_000).map { "c\($0)" }.joined(separator: ",")
        let wide = try T.read("span_id,time," + names + "\n", format: .csv)
        #expect(wide.reader.columns.count == 100_002)
    }
}
