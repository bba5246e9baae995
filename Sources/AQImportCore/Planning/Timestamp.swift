/// An instant as nanoseconds since the Unix epoch (UTC). Int64 nanoseconds cover 1677 to 2262.
public struct Timestamp: Sendable, Hashable, Comparable {
    public var nanosecondsSinceEpoch: Int64

    public init(nanosecondsSinceEpoch: Int64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    public init(secondsSinceEpoch: Int64) {
        self.nanosecondsSinceEpoch = secondsSinceEpoch * 1_000_000_000
    }

    /// The earliest time a record may carry, 1970-01-01T00:00:01Z: its source's window starts
    /// `APILimits.windowPaddingSeconds` earlier, rounded down to a second, and the API takes no window
    /// starting before 1970.
    public static let earliestAccepted = Timestamp(secondsSinceEpoch: APILimits.windowPaddingSeconds)
    /// The latest, 2262-04-11T23:47:15Z: its window ends a second later, rounded up, and must still be
    /// an instant (Int64 nanoseconds end at 2262-04-11T23:47:16.854775807Z).
    public static let latestAccepted = Timestamp(
        secondsSinceEpoch: Int64.max / 1_000_000_000 - APILimits.windowPaddingSeconds)

    /// Whether a record may carry this time: its window then keeps it at least a second inside and stays
    /// within what the API takes. Every reader holds times to this (TimestampParser does for text).
    public var isAccepted: Bool { self >= Self.earliestAccepted && self <= Self.latestAccepted }

    /// Whole seconds, rounded toward the past.
    public var secondsSinceEpoch: Int64 {
        let (q, r) = nanosecondsSinceEpoch.quotientAndRemainder(dividingBy: 1_000_000_000)
        return r < 0 ? q - 1 : q
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }

    /// RFC 3339 in UTC ending in `Z`: `2026-01-15T00:00:00Z`, with a fraction only when there is one.
    public var rfc3339: String {
        let seconds = secondsSinceEpoch
        // From the remainder: `seconds * 1e9` overflows for the earliest instants an Int64 holds.
        let remainder = nanosecondsSinceEpoch % 1_000_000_000
        let nanos = Int(remainder < 0 ? remainder + 1_000_000_000 : remainder)
        var days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        // Civil-from-days (Howard Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0))

        func pad(_ value: Int, _ width: Int) -> String {
            let s = String(value)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        var out = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
        out += "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        if nanos != 0 {
            var fraction = pad(nanos, 9)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            out += "." + fraction
        }
        return out + "Z"
    }
}

/// A closed interval of time, as a project source's `start_time` and `end_time`.
public struct TimeWindow: Sendable, Hashable {
    public var start: Timestamp
    public var end: Timestamp

    public init(start: Timestamp, end: Timestamp) {
        self.start = start
        self.end = end
    }
}
