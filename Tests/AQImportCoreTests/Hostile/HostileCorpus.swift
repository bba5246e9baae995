import AQImportCore

/// The malformed and hostile inputs of issue 7, each with its expected outcome. Big inputs are
/// generated when their test runs, never committed.
enum HostileCorpus {
    static let t = "2026-01-15T00:00:00Z"
    static let header = "span_id,start_time,note\n"

    static func csv(_ rows: String) -> String { header + rows }

    static func ndjson(_ id: String, time: String = "1768435200", extra: String = "") -> String {
        "{\"span_id\":\(id),\"start_time\":\(time)\(extra)}\n"
    }

    static let cases: [HostileCase] =
        csvStructure + csvCells + csvSizes + files + ndjsonCases + times + issue13

    /// Reading options with a small row size limit, so that endless rows are cheap to test.
    static func limited(_ maxBytes: Int = 1 << 20, projectID: String? = "p1") -> ReadOptions {
        var options = ReadOptions(projectID: projectID)
        options.rowSizeLimit = RowSizeLimit(maxBytes: maxBytes)
        return options
    }

    /// The inputs of issue 13 (a hostile probe) that reading and planning must hold against.
    static let issue13: [HostileCase] = [
        HostileCase(
            "csv: NUL bytes without a newline (/dev/zero)", .csv, options: limited(), chunkSizes: [4_096, 65_536],
            expected: .refused(line: 1, message: "row size limit")
        ) { [UInt8](repeating: 0, count: 3 << 20) },
        HostileCase(
            "csv: a row of NULs after the header", .csv, options: limited(), chunkSizes: [4_096, 65_536],
            expected: .refused(line: 3, message: "larger than 1 MiB")
        ) { Array(csv("a,\(t),x\n").utf8) + [UInt8](repeating: 0, count: 3 << 20) },
        HostileCase(
            "csv: a quoted field that never closes, past the row limit", .csv, options: limited(),
            chunkSizes: [4_096, 65_536], expected: .refused(line: 2, message: "row size limit")
        ) {
            let line = Array((String(repeating: "x", count: 1023) + "\n").utf8)
            return Array(csv("a,\(t),\"").utf8) + (0..<3072).flatMap { _ in line }
        },
        HostileCase(
            "csv: a gzip bomb of zeros", .csv, options: limited(), chunkSizes: [65_536],
            expected: .refused(line: 2, message: "row size limit")
        ) { InputTestSupport.gzip(Array(header.utf8) + [UInt8](repeating: 0x30, count: 8 << 20)) },
        HostileCase(
            "ndjson: a line that never ends", .ndjson, options: limited(), chunkSizes: [4_096, 65_536],
            expected: .refused(line: 2, message: "row size limit")
        ) { Array((ndjson("\"a\"") + "{\"span_id\":\"").utf8) + [UInt8](repeating: 0x79, count: 3 << 20) },
        HostileCase(
            "ndjson: a gzip bomb of zeros", .ndjson, options: limited(), chunkSizes: [65_536],
            expected: .refused(line: 1, message: "row size limit")
        ) { InputTestSupport.gzip([UInt8](repeating: 0x30, count: 8 << 20)) },
        HostileCase(
            "ndjson: C1 control characters in ids, escaped and raw", .ndjson,
            expected: .rows(ids: ["ok"], rejected: [1: "invalid_value", 2: "invalid_value", 3: "invalid_value"]),
            text: ndjson(#""a\u0085b""#) + ndjson(#""c\u009b31m""#) + ndjson("\"x\u{80}\"") + ndjson("\"ok\"")),
        HostileCase(
            "csv: C1 control characters in ids", .csv,
            expected: .rows(ids: ["ok"], rejected: [2: "invalid_value", 3: "invalid_value"]),
            text: csv("a\u{85}b,\(t),x\nc\u{9B}31m,\(t),x\nok,\(t),x\n")),
        HostileCase(
            "csv: café in NFC and NFD, U+00C5 and U+212B are four ids", .csv,
            expected: .rows(ids: ["caf\u{E9}", "cafe\u{301}", "\u{C5}", "\u{212B}"], rejected: [:]),
            text: csv("caf\u{E9},\(t),x\ncafe\u{301},\(t),x\n\u{C5},\(t),x\n\u{212B},\(t),x\n")),
        HostileCase(
            "times: the end of time and epoch 0", .csv,
            expected: .rows(
                ids: ["last", "first"],
                rejected: [
                    2: "timestamp_out_of_range", 3: "timestamp_out_of_range", 4: "timestamp_out_of_range",
                    5: "timestamp_out_of_range", 6: "timestamp_out_of_range",
                ]),
            text: "span_id,start_time\n"
                + "a,2262-04-11T23:47:16Z\nb,2262-04-11T23:47:16.5Z\nc,9223372036854775807\nd,0\n"
                + "e,1970-01-01T00:00:00Z\nlast,2262-04-11T23:47:15Z\nfirst,1970-01-01T00:00:01Z\n"),
        HostileCase(
            "csv: project_id cells blank, padded, with a newline, C1 or DEL", .csv, options: ReadOptions(),
            expected: .rows(
                ids: ["a", "b"],
                rejected: [4: "missing_scope", 5: "invalid_value", 7: "invalid_value", 8: "invalid_value"]),
            text: "span_id,start_time,project_id\n"
                + "a,\(t),P1\nb,\(t), P2\t\nc,\(t),\"  \"\nd,\(t),\"P\nQ\"\ne,\(t),P\u{85}\nf,\(t),P\u{7F}\n"),
        HostileCase(
            "ndjson: project_id values empty, with a newline, C1", .ndjson, options: ReadOptions(),
            expected: .rows(ids: ["a"], rejected: [2: "missing_scope", 3: "invalid_value", 4: "invalid_value"]),
            text: ndjson("\"a\"", extra: ",\"project_id\":\" P1 \"") + ndjson("\"b\"", extra: ",\"project_id\":\"\"")
                + ndjson("\"c\"", extra: ",\"project_id\":\"P\\nQ\"")
                + ndjson("\"d\"", extra: ",\"project_id\":\"P\\u0085\"")),
    ]

    static let csvStructure: [HostileCase] = [
        HostileCase(
            "csv: a quote never closed", .csv, expected: .refused(line: 3, message: "never closed"),
            text: csv("a,\(t),ok\nb,\(t),\"never\nclosed\n")),
        HostileCase(
            "csv: a quote inside an unquoted field", .csv, expected: .refused(line: 3, message: "RFC 4180"),
            text: csv("a,\(t),ok\nb,\(t),say \"hi\"\nc,\(t),x\n")),
        HostileCase(
            "csv: text after a closing quote", .csv, expected: .refused(line: 2, message: "RFC 4180"),
            text: csv("\"a\"b,\(t),x\n")),
        HostileCase(
            "csv: ragged rows, short and long", .csv,
            expected: .rows(ids: ["a", "d"], rejected: [3: "invalid_value", 4: "invalid_value"]),
            text: csv("a,\(t),x\nb,\(t)\nc,\(t),x,extra\nd,\(t),y\n")),
        HostileCase(
            "csv: a semicolon-delimited file", .csv, expected: .refused(line: 1, message: "';'"),
            text: "span_id;start_time\na;\(t)\n"),
        HostileCase(
            "csv: a tab-delimited file", .csv, expected: .refused(line: 1, message: "no id column"),
            text: "span_id\tstart_time\na\t\(t)\n"),
        HostileCase(
            "csv: BOM with CRLF and no final newline", .csv, expected: .rows(ids: ["a", "b"], rejected: [:]),
            text: "\u{FEFF}span_id,start_time\r\na,\(t)\r\nb,\(t)"),
        HostileCase(
            "csv: blank lines between rows", .csv, expected: .rows(ids: ["a", "b"], rejected: [:]),
            text: csv("\na,\(t),x\n\n\r\nb,\(t),y\n\n")),
        HostileCase(
            "csv: duplicate id column", .csv, expected: .refused(line: 1, message: "appears 2 times"),
            text: "span_id,start_time,span_id\na,\(t),b\n"),
        HostileCase(
            "csv: duplicate names of an unused column", .csv, expected: .rows(ids: ["a"], rejected: [:]),
            text: "span_id,start_time,note,note\na,\(t),x,y\n"),
        HostileCase(
            "csv: a header of empty names", .csv, expected: .refused(line: 1, message: "no id column"),
            text: ",,\na,b,c\n"),
        HostileCase(
            "csv: an empty file", .csv, expected: .refused(line: 1, message: "empty file"), text: ""),
        HostileCase(
            "csv: only a BOM and blank lines", .csv, expected: .refused(line: 3, message: "empty file"),
            text: "\u{FEFF}\r\n\n"),
        HostileCase(
            "csv: a header only", .csv, expected: .rows(ids: [], rejected: [:]), text: "span_id,start_time"),
    ]

    static let csvCells: [HostileCase] = [
        HostileCase("csv: invalid UTF-8 in an id", .csv, expected: .rows(ids: ["b"], rejected: [2: "invalid_value"])) {
            Array(header.utf8) + [0x61, 0xC3, 0x28] + Array(",\(t),x\nb,\(t),y\n".utf8)
        },
        HostileCase("csv: invalid UTF-8 in a text column", .csv, expected: .rows(ids: ["a", "b"], rejected: [:])) {
            Array(csv("a,\(t),").utf8) + [0xFF, 0xFE, 0xC0] + Array("\nb,\(t),y\n".utf8)
        },
        HostileCase("csv: a NUL byte in an id", .csv, expected: .rows(ids: ["b"], rejected: [2: "invalid_value"])) {
            Array(header.utf8) + [0x61, 0x00, 0x62] + Array(",\(t),x\nb,\(t),y\n".utf8)
        },
        HostileCase("csv: NUL bytes in a text column", .csv, expected: .rows(ids: ["a"], rejected: [:])) {
            Array(csv("a,\(t),").utf8) + [0x00, 0x00, 0x41] + [0x0A]
        },
        HostileCase(
            "csv: numbers as ids", .csv, expected: .rows(ids: ["12345", "-1", "1e9", "0"], rejected: [:]),
            text: csv("12345,\(t),x\n-1,\(t),x\n1e9,\(t),x\n0,\(t),x\n")),
        HostileCase(
            "csv: ids with inner spaces, emoji and combining marks kept", .csv,
            expected: .rows(ids: ["a b", "🦊🔥", "e\u{301}", "ü"], rejected: [:]),
            text: csv("a b,\(t),x\n🦊🔥,\(t),x\n\"e\u{301}\",\(t),x\n\"ü\",\(t),x\n")),
        HostileCase(
            "csv: ids of only spaces or only quotes' nothing are missing", .csv,
            expected: .rows(ids: ["z"], rejected: [2: "missing_id", 3: "missing_id"]),
            text: csv("   ,\(t),x\n\"\",\(t),x\nz,\(t),x\n")),
        HostileCase(
            "csv: an id with a newline or tab inside is refused as a row", .csv,
            expected: .rows(ids: ["z"], rejected: [2: "invalid_value", 4: "invalid_value"]),
            text: csv("\"a\nb\",\(t),x\n\"c\u{7}d\",\(t),x\nz,\(t),x\n")),
        HostileCase(
            "csv: a 10 kB id", .csv, expected: .rows(ids: ["ok"], rejected: [2: "invalid_value"]),
            text: csv(String(repeating: "i", count: 10_000) + ",\(t),x\nok,\(t),x\n")),
        HostileCase(
            "csv: a formula-looking id is just text", .csv, expected: .rows(ids: ["=cmd|' /C calc'!A0"], rejected: [:]),
            text: csv("\"=cmd|' /C calc'!A0\",\(t),x\n")),
    ]

    static let csvSizes: [HostileCase] = [
        HostileCase(
            "csv: a 50 MB text field", .csv, chunkSizes: [4_096, 65_536],
            expected: .rows(ids: ["a", "b"], rejected: [:])
        ) {
            var bytes = Array(csv("a,\(t),\"").utf8)
            bytes += [UInt8](repeating: UInt8(ascii: "x"), count: SanitizerBuild.bigCell)
            bytes += Array("\"\nb,\(t),y\n".utf8)
            return bytes
        },
        HostileCase(
            "csv: a 50 MB id", .csv, chunkSizes: [65_536],
            expected: .rows(ids: ["b"], rejected: [2: "invalid_value"])
        ) {
            Array(header.utf8) + [UInt8](repeating: UInt8(ascii: "i"), count: SanitizerBuild.bigCell)
                + Array(",\(t),x\nb,\(t),y\n".utf8)
        },
        HostileCase(
            "csv: a header of 100,000 columns", .csv, chunkSizes: [65_536],
            expected: .rows(ids: ["a"], rejected: [:])
        ) {
            let names = (0..<100_000).map { "c\($0)" }.joined(separator: ",")
            let cells = String(repeating: ",", count: 99_999)
            return Array("span_id,start_time,\(names)\na,\(t),\(cells)\n".utf8)
        },
        HostileCase(
            "csv: 100,000 columns on a row of a narrow file", .csv, chunkSizes: [65_536],
            expected: .rows(ids: ["b"], rejected: [2: "invalid_value"])
        ) {
            Array(csv("a,\(t)," + String(repeating: "x,", count: 100_000) + "\nb,\(t),y\n").utf8)
        },
    ]

    static let files: [HostileCase] = [
        HostileCase("csv: a binary file", .csv, expected: .refused(line: 1, message: "UTF-8")) {
            var state: UInt64 = 7
            return (0..<4096).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 56)
            }
        },
        HostileCase("csv: a file of NUL bytes", .csv, expected: .refused(line: 1, message: "")) {
            [UInt8](repeating: 0, count: 1000)
        },
        HostileCase("csv: UTF-16 text", .csv, expected: .refused(line: 1, message: "")) {
            [0xFF, 0xFE]
                + Array("span_id,start_time\na,1768435200\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        },
        HostileCase("csv: a truncated gzip", .csv, expected: .refused(line: nil, message: "truncated gzip")) {
            let whole = InputTestSupport.gzip(Array(csv("a,\(t),x\nb,\(t),y\n").utf8))
            return Array(whole.prefix(whole.count - 12))
        },
        HostileCase("csv: gzip magic then garbage", .csv, expected: .refused(line: nil, message: "gzip")) {
            [0x1F, 0x8B] + Array("this is not deflate data at all".utf8)
        },
        HostileCase("ndjson: a gzip with trailing garbage", .ndjson, expected: .refused(line: nil, message: "gzip")) {
            InputTestSupport.gzip(Array(ndjson("\"a\"").utf8)) + Array("garbage".utf8)
        },
    ]

    static let ndjsonCases: [HostileCase] = [
        HostileCase(
            "ndjson: a JSON array instead of NDJSON", .ndjson,
            expected: .refused(line: 1, message: "found a JSON array"),
            text: "[" + ndjson("\"a\"").dropLast() + "," + ndjson("\"b\"").dropLast() + "]\n"),
        HostileCase(
            "ndjson: a pretty-printed object over many lines", .ndjson, expected: .refused(line: 1, message: ""),
            text: "{\n  \"span_id\": \"a\",\n  \"start_time\": 1768435200\n}\n"),
        HostileCase(
            "ndjson: an object nested 10,000 deep", .ndjson,
            expected: .refused(line: 2, message: "nested deeper than 512"),
            text: ndjson("\"a\"") + "{\"x\":" + String(repeating: "{\"a\":", count: 10_000) + "1"
                + String(repeating: "}", count: 10_001) + "\n"),
        HostileCase(
            "ndjson: arrays nested 10,000 deep", .ndjson,
            expected: .refused(line: 1, message: "nested deeper than 512"),
            text: ndjson(
                "\"a\"",
                extra: ",\"x\":" + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000))),
        HostileCase(
            "ndjson: numbers as ids keep their literal text", .ndjson,
            expected: .rows(ids: ["12345", "-0.5e3", "1e999999"], rejected: [:]),
            text: ndjson("12345") + ndjson("-0.5e3") + ndjson("1e999999")),
        HostileCase(
            "ndjson: ids that are null, true, objects, arrays or empty", .ndjson,
            expected: .rows(
                ids: ["ok"],
                rejected: [
                    1: "missing_id", 2: "invalid_value", 3: "invalid_value", 4: "invalid_value", 5: "missing_id",
                ]),
            text: ndjson("null") + ndjson("true") + ndjson("{\"a\":1}") + ndjson("[1]") + ndjson("\"\"")
                + ndjson("\"ok\"")),
        HostileCase(
            "ndjson: escaped NUL, lone surrogate and control character in ids", .ndjson,
            expected: .rows(ids: ["ok"], rejected: [1: "invalid_value", 2: "invalid_value", 3: "invalid_value"]),
            text: ndjson(#""a\u0000b""#) + ndjson(#""\ud800x""#) + ndjson(#""a\nb""#) + ndjson("\"ok\"")),
        HostileCase(
            "ndjson: invalid UTF-8 in an id", .ndjson, expected: .rows(ids: ["b"], rejected: [1: "invalid_value"])
        ) {
            Array("{\"span_id\":\"a".utf8) + [0xED, 0xA0, 0x80] + Array("\",\"start_time\":1768435200}\n".utf8)
                + Array(ndjson("\"b\"").utf8)
        },
        HostileCase("ndjson: invalid UTF-8 in a text value", .ndjson, expected: .rows(ids: ["a"], rejected: [:])) {
            Array("{\"span_id\":\"a\",\"start_time\":1768435200,\"text\":\"".utf8) + [0xFF, 0xC0] + Array("\"}\n".utf8)
        },
        HostileCase(
            "ndjson: a raw NUL byte inside a string", .ndjson, expected: .refused(line: 2, message: "control character")
        ) {
            Array(ndjson("\"a\"").utf8) + Array("{\"span_id\":\"b".utf8) + [0]
                + Array("\",\"start_time\":1768435200}\n".utf8)
        },
        HostileCase(
            "ndjson: a truncated last line", .ndjson, expected: .refused(line: 2, message: ""),
            text: ndjson("\"a\"") + "{\"span_id\":\"b\",\"start_ti"),
        HostileCase(
            "ndjson: two objects on one line", .ndjson, expected: .refused(line: 1, message: "end of the line"),
            text: ndjson("\"a\"").dropLast() + ndjson("\"b\"")),
        HostileCase(
            "ndjson: duplicate keys of the id reject the row", .ndjson,
            expected: .rows(ids: [], rejected: [1: "invalid_value"]),
            text: "{\"span_id\":\"first\",\"span_id\":\"second\",\"start_time\":1768435200}\n"),
        HostileCase(
            "ndjson: an empty file", .ndjson, expected: .refused(line: nil, message: "no JSON object"), text: ""),
        HostileCase(
            "ndjson: whitespace only", .ndjson, expected: .refused(line: 3, message: "no JSON object"),
            text: "\n \r\n\t\n"),
        HostileCase(
            "ndjson: a 50 MB string value", .ndjson, chunkSizes: [65_536],
            expected: .rows(ids: ["a", "b"], rejected: [:])
        ) {
            Array("{\"span_id\":\"a\",\"start_time\":1768435200,\"text\":\"".utf8)
                + [UInt8](repeating: UInt8(ascii: "y"), count: 50 << 20) + Array("\"}\n".utf8)
                + Array(ndjson("\"b\"").utf8)
        },
        HostileCase(
            "ndjson: a 10 kB id", .ndjson, expected: .rows(ids: ["b"], rejected: [1: "invalid_value"]),
            text: ndjson("\"" + String(repeating: "i", count: 10_000) + "\"") + ndjson("\"b\"")),
        HostileCase(
            "ndjson: a BOM, CRLF and blank lines", .ndjson, expected: .rows(ids: ["a", "b"], rejected: [:]),
            text: "\u{FEFF}" + ndjson("\"a\"").dropLast() + "\r\n\r\n" + ndjson("\"b\"")),
    ]

    static let times: [HostileCase] = [
        HostileCase(
            "times: 1900, 3000, negative epochs and a plausible one", .csv,
            expected: .rows(
                ids: ["ok"],
                rejected: [
                    2: "timestamp_out_of_range", 3: "timestamp_out_of_range", 4: "timestamp_out_of_range",
                    5: "timestamp_out_of_range",
                ]),
            text: "span_id,start_time\n"
                + "a,1900-01-01T00:00:00Z\nb,3000-01-01T00:00:00Z\nc,-5\nd,-1768435200000\nok,1768435200\n"),
        HostileCase(
            "times: impossible dates and times are unreadable", .csv,
            expected: .rows(
                ids: [],
                rejected: [
                    2: "unreadable_timestamp", 3: "unreadable_timestamp", 4: "unreadable_timestamp",
                    5: "unreadable_timestamp", 6: "unreadable_timestamp", 7: "unreadable_timestamp",
                ]),
            text: "span_id,start_time\n"
                + "a,2026-02-30T00:00:00Z\nb,2026-01-15T24:00:00Z\nc,2026-01-15T00:00:60Z\nd,2026-13-01\n"
                + "e,2026-01-15T00:00:00.1234567890Z\nf,2026-01-15T00:00:00+25:00\n"),
        HostileCase(
            "times: epochs past 2262 and non-numbers", .csv,
            expected: .rows(
                ids: [],
                rejected: [
                    2: "timestamp_out_of_range", 3: "unreadable_timestamp", 4: "unreadable_timestamp",
                    5: "unreadable_timestamp", 6: "missing_timestamp",
                ]),
            text: "span_id,start_time\n"
                + "a,99999999999999999999\nb,NaN\nc,1e9\nd,0x5F5E100\ne,\n"),
        HostileCase(
            "times: ndjson time as a string, a number, a bool and an object", .ndjson,
            expected: .rows(
                ids: ["a", "b"], rejected: [3: "unreadable_timestamp", 4: "unreadable_timestamp"]),
            text: ndjson("\"a\"", time: "\"2026-01-15T00:00:00Z\"") + ndjson("\"b\"", time: "1768435200.5")
                + ndjson("\"c\"", time: "true") + ndjson("\"d\"", time: "{\"s\":1}")),
    ]
}
