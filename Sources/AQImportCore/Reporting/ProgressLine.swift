/// Renders a progress snapshot as one line, e.g.
/// `records 12,500/100,000 (12.5%)  requests 25/200  340 rec/s  ETA 4m17s  retries 3  429s 2  rejected 1`,
/// with `(resumed: 40 requests done before)` after a resume. A pure function: the reporter decides
/// when to draw.
///
/// When `width` is given the line fits in `width - 1` columns (the last column is left free so that
/// the terminal does not wrap): the least useful parts go first (counters that are zero, then the
/// resume note, elapsed time, retries, 429s, rate, rejected, ETA), then the line is cut.
public enum ProgressLine {
    private struct Part {
        var text: String
        /// Lower goes first when the line is too wide.
        var priority: Int
        var color: String?
    }

    static let red = "\u{1B}[31m"
    static let yellow = "\u{1B}[33m"
    static let green = "\u{1B}[32m"
    static let reset = "\u{1B}[0m"

    public static func render(
        _ snapshot: ProgressSnapshot, width: Int? = nil, color: Bool = false, showElapsed: Bool = false
    ) -> String {
        var parts: [Part] = []
        var records = "records \(grouped(snapshot.recordsDelivered))/\(grouped(snapshot.recordsTotal))"
        if snapshot.recordsTotal > 0 {
            records += " (\(percent(snapshot.recordsDelivered, of: snapshot.recordsTotal)))"
        }
        let finished = snapshot.recordsTotal > 0 && snapshot.requestsDone >= snapshot.requestsTotal
        parts.append(Part(text: records, priority: 100, color: finished ? green : nil))
        parts.append(
            Part(
                text: "requests \(grouped(snapshot.requestsDone))/\(grouped(snapshot.requestsTotal))",
                priority: 90))
        if showElapsed {
            parts.append(Part(text: "elapsed \(duration(ProgressRate.seconds(snapshot.elapsed)))", priority: 30))
        }
        if let rate = snapshot.recordsPerSecond, rate.isFinite, rate >= 0 {
            parts.append(Part(text: "\(rateText(rate)) rec/s", priority: 70))
        }
        if let left = snapshot.secondsRemaining {
            parts.append(Part(text: "ETA \(duration(left))", priority: 80))
        }
        parts.append(counter("retries", snapshot.retries, priority: 55, color: yellow))
        parts.append(counter("429s", snapshot.rateLimited, priority: 65, color: yellow))
        parts.append(counter("rejected", snapshot.rejected, priority: 75, color: red))
        if snapshot.requestsDoneBefore > 0 {
            let noun = snapshot.requestsDoneBefore == 1 ? "request" : "requests"
            parts.append(
                Part(text: "(resumed: \(grouped(snapshot.requestsDoneBefore)) \(noun) done before)", priority: 40))
        }

        if let width {
            let room = max(1, width - 1)
            while visibleLength(parts) > room, parts.count > 1,
                let drop = parts.indices.min(by: { parts[$0].priority < parts[$1].priority })
            {
                parts.remove(at: drop)
            }
            if visibleLength(parts) > room {
                parts = [Part(text: String(parts[0].text.prefix(room)), priority: 100, color: parts[0].color)]
            }
        }
        return parts.map { part in
            guard color, let code = part.color else { return part.text }
            return code + part.text + reset
        }.joined(separator: "  ")
    }

    private static func counter(_ label: String, _ count: Int, priority: Int, color: String) -> Part {
        // A zero counter says little: it is the first thing to go.
        Part(
            text: "\(label) \(grouped(count))", priority: count == 0 ? priority - 40 : priority,
            color: count > 0 ? color : nil)
    }

    private static func visibleLength(_ parts: [Part]) -> Int {
        parts.reduce(0) { $0 + $1.text.count } + max(0, parts.count - 1) * 2
    }

    /// `12,500`: digits grouped by three with commas, whatever the locale, so that logs read the same everywhere.
    public static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return number < 0 ? "-" + out : out
    }

    /// One decimal, never 100.0% before the end: `99.9%` while anything is left.
    static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "0.0%" }
        var tenths = Int((Double(part) * 1000 / Double(whole)).rounded(.down))
        if part < whole { tenths = min(tenths, 999) }
        return "\(tenths / 10).\(tenths % 10)%"
    }

    static func rateText(_ rate: Double) -> String {
        if rate >= 9.95 { return grouped(Int(rate.rounded())) }
        let tenths = Int((rate * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// `42s`, `4m17s`, `2h05m`; beyond 99 hours, `>99h`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let total = Int(seconds.rounded())
        if total < 60 { return "\(max(0, total))s" }
        if total < 3600 { return "\(total / 60)m\(pad(total % 60))s" }
        let minutes = total / 60
        if minutes / 60 > 99 { return ">99h" }
        return "\(minutes / 60)h\(pad(minutes % 60))m"
    }

    private static func pad(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
