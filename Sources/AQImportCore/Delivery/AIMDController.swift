/// Additive increase, multiplicative decrease of the number of requests in flight. A 429 halves the
/// limit (not below 1); successes add one back, up to the configured maximum: one per
/// `successesPerIncrease`, or by default one per window of `limit` successes, as TCP's congestion
/// avoidance does (quick to climb back from 1, slower near the top). Answers to requests sent before the last decrease do not decrease it again: a burst of
/// 429s from one overloaded moment counts once, as TCP counts one loss per window.
public struct AIMDController: Sendable, Hashable {
    public let maximum: Int
    public let successesPerIncrease: Int?
    public private(set) var limit: Int
    /// Bumped at each decrease; a request remembers the epoch it was sent in.
    public private(set) var epoch = 0
    private var successes = 0

    public init(maximum: Int, successesPerIncrease: Int? = nil) {
        self.maximum = max(maximum, 1)
        self.successesPerIncrease = successesPerIncrease.map { max($0, 1) }
        self.limit = self.maximum
    }

    /// A 429 for a request sent in `sentInEpoch`. Returns whether the limit changed.
    @discardableResult
    public mutating func throttled(sentInEpoch: Int) -> Bool {
        guard sentInEpoch == epoch else { return false }
        epoch += 1
        successes = 0
        let halved = max(1, limit / 2)
        defer { limit = halved }
        return halved != limit
    }

    /// A successful answer. Returns whether the limit changed.
    @discardableResult
    public mutating func succeeded() -> Bool {
        guard limit < maximum else { return false }
        successes += 1
        guard successes >= (successesPerIncrease ?? limit) else { return false }
        successes = 0
        limit += 1
        return true
    }
}
