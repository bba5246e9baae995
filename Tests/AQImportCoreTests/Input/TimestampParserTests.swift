import Testing

@testable import AQImportCore

@Suite("TimestampParser")
struct TimestampParserTests {
    /// 2026-01-15T12:34:56Z in seconds.
    static let base: Int64 = 1_768_480_496

    static let s: Int64 = base * 1_000_000_000

    static let isoCases: [(String, Int64)] = [
        ("2026-01-15 12:34:56", s),
        ("2026-01-15T12:34:56", s),
        ("2026-01-15t12:34:56z", s),
        ("2026-01-15T12:34:56Z", s),
        ("2026-01-15 12:34:56.123456", s + 123_456_000),
        ("2026-01-15T12:34:56.1Z", s + 100_000_000),
        ("2026-01-15T12:34:56.123456789Z", s + 123_456_789),
        ("2026-01-15T12:34:56,5Z", s + 500_000_000),
        ("2026-01-15T14:34:56+02:00", s),
        ("2026-01-15T14:34:56+0200", s),
        ("2026-01-15T14:34:56+02", s),
        ("2026-01-15T07:04:56-05:30", s),
        ("2026-01-15 12:34:56.123456+00:00", s + 123_456_000),
        ("2026-01-15T12:34Z", s - 56_000_000_000),
        ("2026-01-15", s - 45_296_000_000_000),
        ("  2026-01-15T12:34:56Z  ", s),
        ("1970-01-01T00:00:01Z", 1_000_000_000),
        ("2024-02-29T00:00:00Z", 1_709_164_800 * 1_000_000_000),
        ("2000-02-29T00:00:00Z", 951_782_400 * 1_000_000_000),
        ("2262-04-11T23:47:15Z", 9_223_372_035 * 1_000_000_000),
    ]

    @Test("ISO 8601 and RFC 3339 forms", arguments: isoCases)
    func iso(text: String, nanos: Int64) {
        #expect(TimestampParser.parse(text) == .valid(Timestamp(nanosecondsSinceEpoch: nanos)))
    }

    static let epochCases: [(String, Int64)] = [
        ("1768480496", s),
        ("1768480496.25", s + 250_000_000),
        ("1768480496123", s + 123_000_000),
        ("1768480496123.5", s + 123_500_000),
        ("1768480496123456", s + 123_456_000),
        ("1768480496123456789", s + 123_456_789),
        ("1", 1_000_000_000),
        ("9223372035", 9_223_372_035 * 1_000_000_000),
        ("9223372035000000000", 9_223_372_035 * 1_000_000_000),
        // At each threshold the next smaller unit begins.
        ("100000000000", 100_000_000_000 * 1_000_000),
        ("100000000000000", 100_000_000_000_000 * 1_000),
        ("100000000000000000", 100_000_000_000_000_000),
    ]

    @Test("epoch numbers: the unit from the magnitude", arguments: epochCases)
    func epoch(text: String, nanos: Int64) {
        #expect(TimestampParser.parse(text) == .valid(Timestamp(nanosecondsSinceEpoch: nanos)))
    }

    @Test(
        "impossible or malformed times are unreadable",
        arguments: [
            "", " ", "yesterday", "2026-02-30 00:00:00", "2025-02-29T00:00:00Z", "1900-02-29", "2026-13-01",
            "2026-00-10", "2026-01-00", "2026-01-32", "2026-04-31", "2026-01-15 25:00:00", "2026-01-15 24:00:00",
            "2026-01-15 12:60:00", "2026-01-15 12:00:60", "2026-01-15T12:34:56.Z", "2026-01-15T12:34:56.1234567890Z",
            "2026-01-15T12:34:56+25:00", "2026-01-15T12:34:56+02:60", "2026-01-15T12:34:56 UTC",
            "2026-01-15T12:34:56ZZ", "2026-1-15", "26-01-15", "2026/01/15 12:34:56", "2026-01-15T1:34:56",
            "1.7e9", "12abc", "1768480496.", ".5", "-", "+", "0x1F", "１２３",
        ])
    func unreadable(text: String) {
        #expect(TimestampParser.parse(text) == .unreadable)
    }

    @Test(
        "before 1970 or past Int64 nanoseconds is out of range",
        arguments: [
            "1969-12-31T23:59:59Z", "1900-01-01 00:00:00", "3000-01-01T00:00:00Z", "2262-04-11T23:47:16.854775808Z",
            "1970-01-01T00:30:00+01:00", "-1", "-1768480496123", "9223372036854775808", "99999999999999999999999",
            "9999999999", "99999999999", "99999999999999",
            // A window a second beyond the id would start before 1970 or end past Int64 nanoseconds.
            "1970-01-01T00:00:00Z", "1970-01-01T00:00:00.999999999Z", "0", "0.5", "-0",
            "2262-04-11T23:47:15.000000001Z", "2262-04-11T23:47:16Z", "2262-04-11T23:47:16.5Z",
            "2262-04-11T23:47:16.854775807Z", "9223372035000000001", "9223372036854775807",
        ])
    func outOfRange(text: String) {
        #expect(TimestampParser.parse(text) == .outOfRange)
    }

    @Test func roundTripsThroughRFC3339() {
        let t = Timestamp(nanosecondsSinceEpoch: Self.s + 5_000)
        #expect(TimestampParser.parse(t.rfc3339) == .valid(t))
    }
}
