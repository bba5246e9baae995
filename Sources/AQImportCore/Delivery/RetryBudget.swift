/// A run-wide allowance of retries, as gRPC's and Finagle's retry throttling: every retry withdraws a
/// token, every success deposits `depositPerSuccess`; with no token left the run stops instead of
/// storming a sick server. The default deposit is a whole token so that retries may keep pace with
/// successes: the issue's own fault mix (about 40 % of attempts failing) needs about 0.7 retries per
/// success, which a 0.1-0.2 deposit would turn into an abort.
public struct RetryBudget: Sendable, Hashable {
    public var tokens: Double
    public let maximum: Double
    public let depositPerSuccess: Double

    public init(initial: Double = 20, maximum: Double = 100, depositPerSuccess: Double = 1) {
        self.tokens = min(initial, maximum)
        self.maximum = maximum
        self.depositPerSuccess = depositPerSuccess
    }

    public mutating func succeeded() {
        tokens = min(maximum, tokens + depositPerSuccess)
    }

    /// Takes a token for a retry; `false` when the budget is spent.
    public mutating func withdraw() -> Bool {
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
