/// Reads the timestamp shapes real exports hold, straight from the cell's bytes.
///
/// Accepted:
/// - ISO 8601 / RFC 3339: `YYYY-MM-DD`, then `T`, `t` or a space, then `HH:MM`, `HH:MM:SS` or
///   `HH:MM:SS.fffffffff` (1 to 9 fraction digits), then `Z`, `z`, `+HH:MM`, `+HHMM`, `+HH` (or `-`), or
///   nothing, which means UTC (pandas `to_csv` writes zone-less UTC). A bare date means midnight UTC.
/// - Epoch numbers, optionally with a fraction: the unit comes from the magnitude of the integer part:
///   below 1e11 seconds, below 1e14 milliseconds, below 1e17 microseconds, else nanoseconds. Each unit's
///   range starts at 1973-03-03, so epoch milliseconds before March 1973 would read as seconds.
/// Surrounding ASCII spaces are ignored. Impossible dates and times (Feb 30, hour 24, second 60) are
/// unreadable; instants outside `Timestamp.earliestAccepted...latestAccepted` (1970-01-01T00:00:01Z to
/// 2262-04-11T23:47:15Z, so that each id's window keeps it a second inside and stays a valid window)
/// are out of range.
public enum TimestampParser {
    public enum Outcome: Sendable, Hashable {
        case valid(Timestamp)
        case unreadable
        case outOfRange
    }

    public static func parse(_ text: String) -> Outcome {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Outcome {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 { end -= 1 }
        guard start < end else { return .unreadable }
        // An ISO date has a '-' at index 4; an epoch number never does.
        if end - start >= 10, bytes[start + 4] == UInt8(ascii: "-") {
            return parseISO(bytes, start, end)
        }
        return parseEpoch(bytes, start, end)
    }

    private static let nanosPerSecond: Int64 = 1_000_000_000

    @inline(__always)
    private static func digit(_ b: UInt8) -> Int64? {
        b &- 0x30 < 10 ? Int64(b &- 0x30) : nil
    }

    /// Reads exactly `count` digits at `i`.
    @inline(__always)
    private static func number(_ p: UnsafeRawBufferPointer, _ i: Int, _ count: Int, _ end: Int) -> Int64? {
        guard i + count <= end else { return nil }
        var value: Int64 = 0
        for k in i..<(i + count) {
            guard let d = digit(p[k]) else { return nil }
            value = value * 10 + d
        }
        return value
    }

    private static func parseISO(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Outcome {
        guard let year = number(p, start, 4, end), p[start + 4] == UInt8(ascii: "-"),
            let month = number(p, start + 5, 2, end), p[start + 7] == UInt8(ascii: "-"),
            let day = number(p, start + 8, 2, end)
        else { return .unreadable }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month) else {
            return .unreadable
        }
        var i = start + 10
        var hour: Int64 = 0
        var minute: Int64 = 0
        var second: Int64 = 0
        var fraction: Int64 = 0
        if i < end, p[i] == UInt8(ascii: "T") || p[i] == UInt8(ascii: "t") || p[i] == 0x20 {
            i += 1
            guard let h = number(p, i, 2, end), i + 2 < end, p[i + 2] == UInt8(ascii: ":"),
                let m = number(p, i + 3, 2, end)
            else { return .unreadable }
            hour = h
            minute = m
            i += 5
            if i < end, p[i] == UInt8(ascii: ":") {
                guard let s = number(p, i + 1, 2, end) else { return .unreadable }
                second = s
                i += 3
                if i < end, p[i] == UInt8(ascii: ".") || p[i] == UInt8(ascii: ",") {
                    i += 1
                    var digits = 0
                    while i < end, let d = digit(p[i]) {
                        guard digits < 9 else { return .unreadable }
                        fraction = fraction * 10 + d
                        digits += 1
                        i += 1
                    }
                    guard digits > 0 else { return .unreadable }
                    for _ in digits..<9 { fraction *= 10 }
                }
            }
            guard hour < 24, minute < 60, second < 60 else { return .unreadable }
        }
        var offsetSeconds: Int64 = 0
        if i < end {
            switch p[i] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                i += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                let sign: Int64 = p[i] == UInt8(ascii: "+") ? 1 : -1
                i += 1
                guard let oh = number(p, i, 2, end) else { return .unreadable }
                i += 2
                var om: Int64 = 0
                if i < end {
                    if p[i] == UInt8(ascii: ":") { i += 1 }
                    guard let m = number(p, i, 2, end) else { return .unreadable }
                    om = m
                    i += 2
                }
                guard oh < 24, om < 60 else { return .unreadable }
                offsetSeconds = sign * (oh * 3600 + om * 60)
            default:
                return .unreadable
            }
        }
        guard i == end else { return .unreadable }
        // Years are 4 digits, so this cannot overflow; the range check decides.
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return fromSeconds(seconds, nanos: fraction)
    }

    private static func fromSeconds(_ seconds: Int64, nanos: Int64) -> Outcome {
        guard seconds >= 0 else { return .outOfRange }
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: nanosPerSecond)
        guard !overflow else { return .outOfRange }
        let (total, overflow2) = whole.addingReportingOverflow(nanos)
        guard !overflow2 else { return .outOfRange }
        return accepted(Timestamp(nanosecondsSinceEpoch: total))
    }

    @inline(__always)
    private static func accepted(_ t: Timestamp) -> Outcome {
        t.isAccepted ? .valid(t) : .outOfRange
    }

    private static func parseEpoch(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Outcome {
        var i = start
        var negative = false
        if p[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        } else if p[i] == UInt8(ascii: "+") {
            i += 1
        }
        var integer: Int64 = 0
        var intDigits = 0
        var tooBig = false
        while i < end, let d = digit(p[i]) {
            if !tooBig {
                let (m, o1) = integer.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(d)
                if o1 || o2 { tooBig = true } else { integer = a }
            }
            intDigits += 1
            i += 1
        }
        var fraction: Int64 = 0
        var fractionDigits = 0
        if i < end, p[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, let d = digit(p[i]) {
                // Digits past nanosecond precision of the largest unit are dropped.
                if fractionDigits < 9 {
                    fraction = fraction * 10 + d
                    fractionDigits += 1
                }
                i += 1
            }
            guard fractionDigits > 0 else { return .unreadable }
        }
        guard intDigits > 0, i == end else { return .unreadable }
        if tooBig { return .outOfRange }
        if negative && (integer > 0 || fraction > 0) { return .outOfRange }

        let unitNanos: Int64
        switch integer {
        case ..<100_000_000_000: unitNanos = 1_000_000_000
        case ..<100_000_000_000_000: unitNanos = 1_000_000
        case ..<100_000_000_000_000_000: unitNanos = 1_000
        default: unitNanos = 1
        }
        let (whole, overflow) = integer.multipliedReportingOverflow(by: unitNanos)
        guard !overflow else { return .outOfRange }
        var fractionNanos: Int64 = 0
        if fractionDigits > 0 {
            var scale: Int64 = 1
            for _ in 0..<fractionDigits { scale *= 10 }
            // fraction < 1e9 and unitNanos <= 1e9, so the product fits.
            fractionNanos = fraction * unitNanos / scale
        }
        let (total, overflow2) = whole.addingReportingOverflow(fractionNanos)
        guard !overflow2 else { return .outOfRange }
        return accepted(Timestamp(nanosecondsSinceEpoch: total))
    }

    private static func isLeap(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    private static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's days-from-civil).
    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
