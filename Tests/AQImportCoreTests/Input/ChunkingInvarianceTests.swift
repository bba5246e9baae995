import Testing

@testable import AQImportCore

/// Random exports, read whole and in small chunks: the chunk size never changes what comes out.
@Suite("Chunking invariance")
struct ChunkingInvarianceTests {
    typealias T = InputTestSupport

    typealias Random = SplitMix64

    private static let pieces = ["a", "b c", "0123456789abcdef", ",", "\"", "\n", "\r\n", "é", "🦊", " ", "\t", ""]

    private static func cell(_ random: inout Random) -> String {
        var text = ""
        for _ in 0..<random.below(4) { text += pieces[random.below(pieces.count)] }
        let needsQuotes = text.contains { ",\"\n\r".contains($0) }
        return needsQuotes || random.below(4) == 0
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    private static func csv(seed: UInt64) -> String {
        var random = Random(seed: seed)
        var text = random.below(2) == 0 ? "\u{FEFF}" : ""
        text += "span_id,start_time,note,project_id\n"
        let times = ["2026-01-15 12:00:00", "1768480496123", "", "bad", "1900-01-01T00:00:00Z"]
        for _ in 0..<random.below(40) {
            if random.below(10) == 0 {
                text += "\n"
                continue
            }
            var fields = [cell(&random), times[random.below(times.count)], cell(&random), ["", "p2"][random.below(2)]]
            if random.below(15) == 0 { fields.removeLast() }
            text += fields.joined(separator: ",") + (random.below(3) == 0 ? "\r\n" : "\n")
        }
        if random.below(2) == 0, text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    private static func outcome(_ text: String, format: InputFormat, chunkSize: Int) -> String {
        do {
            let result = try T.read(text, format: format, chunkSize: chunkSize)
            return "\(result.records)\n\(result.rejections)\n\(result.stats.rows) \(result.stats.lines)"
        } catch {
            return "error \(error)"
        }
    }

    @Test("CSV", arguments: 0..<60)
    func csvChunks(seed: Int) {
        let text = Self.csv(seed: UInt64(seed))
        let whole = Self.outcome(text, format: .csv, chunkSize: 1 << 20)
        for chunkSize in [1, 2, 7] {
            #expect(Self.outcome(text, format: .csv, chunkSize: chunkSize) == whole, "seed \(seed)")
        }
    }

    @Test("NDJSON", arguments: 0..<60)
    func ndjsonChunks(seed: Int) {
        var random = Random(seed: UInt64(seed))
        var lines: [String] = []
        let values = [
            #""0123456789abcdef""#, #""x\u00e9\ud83e\udd8a""#, "12", "null", "{}", #""""#, #""\"""#, "[1,{\"a\":2}]",
        ]
        for _ in 0..<random.below(30) {
            switch random.below(12) {
            case 0: lines.append("")
            case 1: lines.append("  \r")
            case 2: lines.append(#"{"context":{"span_id":"#)  // broken
            default:
                let id = values[random.below(values.count)]
                let time = ["1768480496", #""2026-01-15T00:00:00Z""#, "null", #""x""#][random.below(4)]
                lines.append(
                    random.below(2) == 0
                        ? #"{"context":{"span_id":\#(id)},"start_time":\#(time)}"#
                        : #"{"start_time":\#(time),"context.span_id":\#(id),"n":[]}"#)
            }
        }
        let text = lines.joined(separator: random.below(2) == 0 ? "\n" : "\r\n")
        let whole = Self.outcome(text, format: .ndjson, chunkSize: 1 << 20)
        for chunkSize in [1, 2, 7] {
            #expect(Self.outcome(text, format: .ndjson, chunkSize: chunkSize) == whole, "seed \(seed)")
        }
    }
}
