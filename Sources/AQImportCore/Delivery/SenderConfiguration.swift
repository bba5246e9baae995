/// How hard and how patiently the sender pushes.
public struct SenderConfiguration: Sendable, Hashable {
    /// `--concurrency`: planned requests under way at most (journaled `sending`, not yet settled), and
    /// HTTP attempts in flight at most; after 429s the AIMD controller holds attempts lower.
    public var concurrency: Int
    /// `--rate`: requests a second, every attempt counted; `nil` is unlimited.
    public var rate: Double?
    /// `--max-attempts`: attempts per request (and per bisection piece) before the run gives up.
    public var maxAttempts: Int
    /// The first backoff ceiling; it doubles with each failed attempt.
    public var baseBackoff: Duration
    /// `--max-backoff`: no wait is longer, `Retry-After` included.
    public var maxBackoff: Duration
    /// `--timeout`: the deadline of one whole exchange, handed to the transport with each request.
    public var requestTimeout: Duration?
    /// After `stop()`, how long in-flight requests may take to finish before they are cancelled.
    public var gracePeriod: Duration
    /// AIMD: successes needed to raise the concurrency limit by one after a decrease; `nil` is one
    /// window (as many successes as the current limit).
    public var successesPerConcurrencyIncrease: Int?
    /// The run-wide retry budget it starts with.
    public var retryBudget: RetryBudget
    /// Allows sending the key over plain http to a host that is not this machine.
    public var allowInsecureHTTP: Bool
    public var userAgent: String

    public init(
        concurrency: Int = 4, rate: Double? = nil, maxAttempts: Int = 8, baseBackoff: Duration = Backoff.defaultBase,
        maxBackoff: Duration = Backoff.defaultCap, requestTimeout: Duration? = .seconds(60),
        gracePeriod: Duration = .seconds(10), successesPerConcurrencyIncrease: Int? = nil,
        retryBudget: RetryBudget = RetryBudget(), allowInsecureHTTP: Bool = false, userAgent: String = "aq-import"
    ) {
        self.concurrency = max(concurrency, 1)
        self.rate = rate
        self.maxAttempts = max(maxAttempts, 1)
        self.baseBackoff = baseBackoff
        self.maxBackoff = maxBackoff
        self.requestTimeout = requestTimeout
        self.gracePeriod = gracePeriod
        self.successesPerConcurrencyIncrease = successesPerConcurrencyIncrease
        self.retryBudget = retryBudget
        self.allowInsecureHTTP = allowInsecureHTTP
        self.userAgent = userAgent
    }
}
