import Foundation
import Testing

@testable import AQImportCore

/// A source that starts with `prefix` and then hands out `filler` for ever (or until `cap` bytes):
/// a row that never ends, counted as it is read.
final class EndlessByteSource: ByteSource {
    private let prefix: [UInt8]
    private let filler: UInt8
    private let cap: Int
    private(set) var handedOut = 0

    init(prefix: String, filler: UInt8 = 0, cap: Int = 1 << 40) {
        self.prefix = Array(prefix.utf8)
        self.filler = filler
        self.cap = cap
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, cap - handedOut)
        guard n > 0 else { return 0 }
        let fromPrefix = max(0, min(n, prefix.count - handedOut))
        for i in 0..<fromPrefix { buffer[i] = prefix[handedOut + i] }
        if n > fromPrefix { memset(buffer.baseAddress! + fromPrefix, Int32(filler), n - fromPrefix) }
        handedOut += n
        return n
    }
}

@Suite("Row size limit: a row that never ends is refused as its bytes arrive")
struct RowSizeLimitTests {
    static let small = RowSizeLimit(maxBytes: 1 << 20)

    static func options(_ limit: RowSizeLimit = small) -> ReadOptions {
        var options = ReadOptions(projectID: "p1")
        options.rowSizeLimit = limit
        return options
    }

    /// Reads `source` to the end or the first error; the error, and how many bytes were taken.
    static func drain(_ source: EndlessByteSource, format: InputFormat, options: ReadOptions) -> InputError? {
        do {
            var reader = try ExportReader(
                source: source, name: "endless.\(format.rawValue)", fileIndex: 0, format: format, options: options)
            _ = try reader.read { _ in }
            return nil
        } catch let error as InputError {
            return error
        } catch {
            Issue.record("not an InputError: \(error)")
            return nil
        }
    }

    @Test(
        "CSV: zeros without end, a quote never closed, commas without end: refused at the limit, naming the line",
        arguments: [(filler: UInt8(0), opening: ""), (UInt8(ascii: "x"), "\""), (UInt8(ascii: ","), "")])
    func csvEndless(filler: UInt8, opening: String) throws {
        let source = EndlessByteSource(
            prefix: "span_id,start_time\na,2026-01-15T00:00:00Z\n" + opening, filler: filler, cap: 64 << 20)
        let error = try #require(Self.drain(source, format: .csv, options: Self.options()))
        #expect(error.file == "endless.csv")
        #expect(error.line == 3)
        #expect(error.message.contains("1 MiB"), "\(error.message)")
        // Stopped within a chunk or two of the limit, not at the end of the source.
        #expect(source.handedOut <= (1 << 20) + 3 * CSVReader.chunkSize, "read \(source.handedOut) bytes")
    }

    @Test("CSV at the standard 256 MiB limit: /dev/zero is refused after 256 MiB, not read to its end")
    func csvStandardLimit() throws {
        let source = EndlessByteSource(prefix: "span_id,start_time\n", cap: 400 << 20)
        let error = try #require(Self.drain(source, format: .csv, options: ReadOptions(projectID: "p1")))
        #expect(error.line == 2)
        #expect(error.message.contains("256 MiB"), "\(error.message)")
        #expect(source.handedOut <= (256 << 20) + 3 * CSVReader.chunkSize, "read \(source.handedOut) bytes")
    }

    @Test("CSV: the header row counts too")
    func csvHeader() throws {
        let source = EndlessByteSource(prefix: "span_id,", filler: UInt8(ascii: "h"), cap: 64 << 20)
        let error = try #require(Self.drain(source, format: .csv, options: Self.options()))
        #expect(error.line == 1)
        #expect(source.handedOut <= (1 << 20) + 3 * CSVReader.chunkSize)
    }

    @Test("CSV: blank lines between rows do not add up to a row")
    func csvBlankLines() throws {
        let text = "span_id,start_time\n" + String(repeating: "\n", count: 3 << 20) + "a,1768435200\n"
        let result = try InputTestSupport.read(text, format: .csv, options: Self.options(), chunkSize: 65_536)
        #expect(result.records.map(\.id.text) == ["a"])
    }

    @Test("CSV: a row just under the limit is read, one past it refused", arguments: [CSVReader.chunkSize, 7_919])
    func csvAtTheLimit(chunkSize: Int) throws {
        let head = "span_id,start_time,note\n"
        let fixed = "a,1768435200,\n".utf8.count
        let fits = head + "a,1768435200," + String(repeating: "n", count: (1 << 20) - fixed) + "\n"
        let result = try InputTestSupport.read(fits, format: .csv, options: Self.options(), chunkSize: chunkSize)
        #expect(result.records.map(\.id.text) == ["a"])
        let over = head + "a,1768435200," + String(repeating: "n", count: (1 << 20) - fixed + 1) + "\n"
        let error = try #require(
            InputTestSupport.error(over, format: .csv, options: Self.options(), chunkSize: chunkSize))
        #expect(error.line == 2)
    }

    @Test("CSV: a rejected row too long to keep aside comes back with its id and time, the rest empty")
    func csvLongRejectedRow() throws {
        // The raw bytes kept aside are those of the chunks read before the row's last one.
        let note = String(repeating: "n", count: CSVReader.maxKeptRowBytes + 2 * CSVReader.chunkSize)
        let text = "span_id,note,start_time\na,\(note),not-a-time\nb,x,1768435200\n"
        let result = try InputTestSupport.read(text, format: .csv, chunkSize: 65_536)
        #expect(result.records.map(\.id.text) == ["b"])
        let rejection = try #require(result.rejections.first)
        #expect(rejection.line == 2)
        #expect(
            rejection.original == .csv(header: ["span_id", "note", "start_time"], fields: ["a", "", "not-a-time"]))
    }

    @Test("CSV: an id or time cell too long to copy is judged by its length")
    func csvOversizedCells() throws {
        let long = String(repeating: "i", count: CSVReader.maxNeededCellBytes + 1)
        let text = "span_id,start_time\n\(long),1768435200\nb,\(long)\nc,1768435200\n"
        let result = try InputTestSupport.read(text, format: .csv, chunkSize: 65_536)
        #expect(result.records.map(\.id.text) == ["c"])
        #expect(result.rejections.map(\.reason.code) == ["invalid_value", "unreadable_timestamp"])
        #expect(result.rejections.first?.reason.message.contains("\(CSVReader.maxNeededCellBytes + 1) bytes") == true)
    }

    @Test("NDJSON: a line that never ends is refused at the limit, naming its line")
    func ndjsonEndless() throws {
        let source = EndlessByteSource(
            prefix: "{\"span_id\":\"a\",\"start_time\":1768435200}\n{\"span_id\":\"", filler: UInt8(ascii: "y"),
            cap: 64 << 20)
        let error = try #require(Self.drain(source, format: .ndjson, options: Self.options()))
        #expect(error.file == "endless.ndjson")
        #expect(error.line == 2)
        #expect(error.message.contains("1 MiB"), "\(error.message)")
        #expect(source.handedOut <= (1 << 20) + 3 * NDJSONReader.chunkSize, "read \(source.handedOut) bytes")
    }

    @Test("NDJSON: an id or time value too long to copy is judged by its length")
    func ndjsonOversizedValues() throws {
        let long = String(repeating: "i", count: JSONLineScanner.maxTargetStringBytes + 1)
        let lines = [
            "{\"span_id\":\"\(long)\",\"start_time\":1768435200}", "{\"span_id\":\"b\",\"start_time\":\"\(long)\"}",
            "{\"span_id\":\"c\",\"start_time\":1768435200,\"note\":\"\(long)\"}",
        ]
        let result = try InputTestSupport.read(lines.joined(separator: "\n"), format: .ndjson, chunkSize: 65_536)
        #expect(result.records.map(\.id.text) == ["c"])
        #expect(result.rejections.map(\.reason.code) == ["invalid_value", "unreadable_timestamp"])
        #expect(result.rejections.first?.reason.message.contains("\(long.utf8.count) bytes long") == true)
    }

    @Test("NDJSON: a rejected line too long to keep aside comes back as an empty object, with its line")
    func ndjsonLongRejectedLine() throws {
        let note = String(repeating: "n", count: RowSizeLimit.maxKeptRejectedBytes)
        let text =
            "{\"span_id\":\"a\",\"start_time\":\"never\",\"note\":\"\(note)\"}\n"
            + "{\"span_id\":\"b\",\"start_time\":\"never\"}\n"
        let result = try InputTestSupport.read(text, format: .ndjson, chunkSize: 65_536)
        #expect(result.rejections.map(\.line) == [1, 2])
        #expect(result.rejections.first?.original == .ndjson(line: "{}"))
        #expect(result.rejections.last?.original == .ndjson(line: "{\"span_id\":\"b\",\"start_time\":\"never\"}"))
    }

    @Test("NDJSON: a first object too long to copy aside while columns are detected is read from the buffer")
    func ndjsonLongFirstLine() throws {
        let note = String(repeating: "n", count: RowSizeLimit.maxKeptRejectedBytes + 1)
        for last in ["\n", ""] {
            let text =
                "\n{\"span_id\":\"a\",\"start_time\":1768435200,\"note\":\"\(note)\"}\n"
                + "{\"span_id\":\"b\",\"start_time\":1768435200}" + last
            for chunkSize in [4_096, 65_536] {
                let result = try InputTestSupport.read(text, format: .ndjson, chunkSize: chunkSize)
                #expect(result.records.map(\.id.text) == ["a", "b"])
                #expect(result.records.map(\.origin.line) == [2, 3])
                #expect(result.stats.rows == 2)
            }
            let alone = "{\"span_id\":\"a\",\"start_time\":1768435200,\"note\":\"\(note)\"}" + last
            let result = try InputTestSupport.read(alone, format: .ndjson, chunkSize: 65_536)
            #expect(result.records.map(\.origin.line) == [1])
        }
    }

    @Test("NDJSON: a line of exactly the limit is read")
    func ndjsonAtTheLimit() throws {
        let head = "{\"span_id\":\"a\",\"start_time\":1768435200,\"t\":\""
        let line = head + String(repeating: "y", count: (1 << 20) - head.utf8.count - 2) + "\"}"
        #expect(line.utf8.count == 1 << 20)
        let result = try InputTestSupport.read(line + "\n", format: .ndjson, options: Self.options(), chunkSize: 65_536)
        #expect(result.records.map(\.id.text) == ["a"])
    }

    @Test("a gzip bomb (zeros) is refused at the limit as it inflates", arguments: [InputFormat.csv, .ndjson])
    func gzipBomb(format: InputFormat) throws {
        let head = format == .csv ? "span_id,start_time\n" : "{\"span_id\":\""
        let bomb = InputTestSupport.gzip(Array(head.utf8) + [UInt8](repeating: 0x30, count: 16 << 20))
        #expect(bomb.count < 1 << 20)
        let error = try #require(InputTestSupport.error(bomb, format: format, options: Self.options()))
        #expect(error.line == (format == .csv ? 2 : 1))
        #expect(error.message.contains("1 MiB"), "\(error.message)")
    }
}
