import Foundation

/// Reads a `Retry-After` value: delta-seconds, or an HTTP date (IMF-fixdate, RFC 850 or asctime, as
/// RFC 9110 asks a recipient to accept) taken relative to `now`. A date in the past means no wait.
public enum RetryAfter {
    public static func parse(_ value: String, now: Timestamp) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        if text.allSatisfy(\.isASCIIDigit) {
            // Very long numbers saturate; the caller caps the wait anyway.
            return .seconds(Int64(text.prefix(12)) ?? 0)
        }
        guard let date = parseHTTPDate(text) else { return nil }
        let delta = date.nanosecondsSinceEpoch - now.nanosecondsSinceEpoch
        return delta > 0 ? .nanoseconds(delta) : .zero
    }

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// `Sun, 06 Nov 1994 08:49:37 GMT`, `Sunday, 06-Nov-94 08:49:37 GMT` or `Sun Nov  6 08:49:37 1994`.
    public static func parseHTTPDate(_ text: String) -> Timestamp? {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        var day: Int?
        var month: Int?
        var year: Int?
        var time: (Int, Int, Int)?
        switch tokens.count {
        case 6:  // IMF-fixdate
            day = Int(tokens[1])
            month = monthIndex(tokens[2])
            year = Int(tokens[3])
            time = parseTime(tokens[4])
            guard tokens[5] == "GMT" else { return nil }
        case 4:  // RFC 850
            let parts = tokens[1].split(separator: "-").map(String.init)
            guard parts.count == 3, tokens[3] == "GMT" else { return nil }
            day = Int(parts[0])
            month = monthIndex(parts[1])
            if let short = Int(parts[2]) {
                year = parts[2].count == 2 ? (short < 70 ? 2000 + short : 1900 + short) : short
            }
            time = parseTime(tokens[2])
        case 5:  // asctime
            month = monthIndex(tokens[1])
            day = Int(tokens[2])
            time = parseTime(tokens[3])
            year = Int(tokens[4])
        default:
            return nil
        }
        guard let day, let month, let year, let time, (1...31).contains(day) else { return nil }
        let days = daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day))
        let seconds = days * 86_400 + Int64(time.0 * 3600 + time.1 * 60 + time.2)
        return Timestamp(secondsSinceEpoch: seconds)
    }

    private static func monthIndex(_ name: String) -> Int? {
        months.firstIndex(of: name.lowercased()).map { $0 + 1 }
    }

    private static func parseTime(_ text: String) -> (Int, Int, Int)? {
        let parts = text.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 3, (0..<24).contains(parts[0]), (0..<60).contains(parts[1]), (0...60).contains(parts[2])
        else { return nil }
        return (parts[0], parts[1], parts[2])
    }

    /// Howard Hinnant's days-from-civil: days since 1970-01-01 of a proleptic Gregorian date.
    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
