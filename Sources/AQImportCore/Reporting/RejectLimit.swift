/// `--max-rejects N` or `--max-rejects P%`: how many rejected rows a run tolerates before it stops.
public enum RejectLimit: Sendable, Hashable, CustomStringConvertible {
    case count(Int)
    case percent(Double)

    /// Parses `250` or `2.5%`; `nil` for anything else.
    public init?(_ text: String) {
        if text.hasSuffix("%") {
            guard let value = Double(text.dropLast()), value >= 0, value <= 100 else { return nil }
            self = .percent(value)
        } else {
            guard let value = Int(text), value >= 0 else { return nil }
            self = .count(value)
        }
    }

    /// Rows read before a percentage is judged, so that the first bad row does not count as 100%.
    public static let minimumRowsForPercent = 100

    /// Whether `rejected` of `rows` read so far passes the limit; once every row is read (`final`), a
    /// percentage is judged however few rows there were.
    public func isExceeded(rejected: Int, rows: Int, final: Bool = false) -> Bool {
        switch self {
        case .count(let limit):
            return rejected > limit
        case .percent(let limit):
            guard rows >= Self.minimumRowsForPercent || (final && rows > 0) else { return false }
            return Double(rejected) * 100 > limit * Double(rows)
        }
    }

    public var description: String {
        switch self {
        case .count(let n): "\(n)"
        case .percent(let p): "\(p)%"
        }
    }
}
