/// A numeric flag's range, checked when the command line is read, before anything is read or written:
/// a value outside it, infinite or not a number is refused with a message naming the flag, instead of
/// crashing a conversion later (`Duration` from `inf`, an interval from `1e-300` requests a second).
public struct NumericSetting: Sendable, Hashable {
    public let flag: String
    public let range: ClosedRange<Double>
    public let unit: String

    public init(flag: String, range: ClosedRange<Double>, unit: String) {
        self.flag = flag
        self.range = range
        self.unit = unit
    }

    public static let timeout = NumericSetting(flag: "--timeout", range: 0.001...86_400, unit: "seconds")
    public static let maxBackoff = NumericSetting(flag: "--max-backoff", range: 0...86_400, unit: "seconds")
    public static let rate = NumericSetting(flag: "--rate", range: 0.001...100_000, unit: "requests a second")
    public static let concurrency = NumericSetting(flag: "--concurrency", range: 1...256, unit: "requests in flight")
    public static let maxAttempts = NumericSetting(flag: "--max-attempts", range: 1...1_000, unit: "attempts")
    public static let sampleCount = NumericSetting(
        flag: "--sample", range: 1...1_000_000_000_000, unit: "records (or units), or P% above 0 up to 100")
    public static let perStratum = NumericSetting(
        flag: "--per-stratum", range: 1...1_000_000_000_000, unit: "records (or units) a stratum")

    /// `--sample N` (in `sampleCount`'s range) or `P%` (above 0, at most 100).
    public static func sample(_ text: String) throws(ConfigurationError) -> SelectionOptions.SampleSize {
        guard let size = SelectionOptions.SampleSize(argument: text) else {
            throw .outOfRange(flag: sampleCount.flag, value: text, expected: sampleCount.expected)
        }
        if case .count(let n) = size { try sampleCount.check(n) }
        return size
    }

    /// `--seed`: any whole number a UInt64 holds, which a `Double` range cannot state exactly.
    public static func seed(_ text: String) throws(ConfigurationError) -> UInt64 {
        guard let seed = UInt64(text) else {
            throw .outOfRange(flag: "--seed", value: text, expected: "a whole number from 0 to \(UInt64.max)")
        }
        return seed
    }

    public func check(_ value: Double) throws(ConfigurationError) {
        // NaN is in no range: `contains` is false for it, as for the infinities.
        guard range.contains(value) else {
            throw .outOfRange(flag: flag, value: Self.format(value), expected: expected)
        }
    }

    public func check(_ value: Int) throws(ConfigurationError) {
        guard range.contains(Double(value)) else {
            throw .outOfRange(flag: flag, value: String(value), expected: expected)
        }
    }

    /// `0.001 to 86400 seconds`.
    public var expected: String { "\(Self.format(range.lowerBound)) to \(Self.format(range.upperBound)) \(unit)" }

    static func format(_ value: Double) -> String {
        if value.isFinite && value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
