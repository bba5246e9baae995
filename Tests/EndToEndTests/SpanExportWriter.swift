import Foundation

/// Writes a span export of `count` distinct 16-hex span ids, spread over `days` days, for tests that
/// need more requests than the samples make. The same seed gives the same file.
enum SpanExportWriter {
    static func write(to url: URL, count: Int, days: Int = 3, seed: UInt64 = 42) throws -> Set<String> {
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var ids = Set<String>()
        var text = "context.span_id,start_time,attributes.input.value\n"
        let base = 1_768_435_200  // 2026-01-15T00:00:00Z
        while ids.count < count {
            let id = String(next(), radix: 16).leftPadded(to: 16)
            guard ids.insert(id).inserted else { continue }
            let seconds = base + Int(next() % UInt64(days * 86_400))
            text += "\(id),\(seconds),\"hello, world\"\n"
        }
        try text.write(to: url, atomically: true, encoding: .utf8)
        return Set(ids.map { "SPAN \($0)" })
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
