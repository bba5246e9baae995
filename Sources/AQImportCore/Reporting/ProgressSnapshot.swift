/// The numbers one progress line shows. Records and requests done by an earlier run (from the journal)
/// are included in `recordsDelivered` and `requestsDone`, and also counted apart, so that the line can
/// say the run was resumed and the rate counts only this run's work.
public struct ProgressSnapshot: Sendable, Hashable {
    public var recordsDelivered: Int
    public var recordsTotal: Int
    public var requestsDone: Int
    public var requestsTotal: Int
    public var elapsed: Duration
    public var retries: Int
    public var rateLimited: Int
    public var rejected: Int
    public var recordsDoneBefore: Int
    public var requestsDoneBefore: Int
    /// Records per second over the recent window; `nil` while too early to tell.
    public var recordsPerSecond: Double?

    public init(
        recordsDelivered: Int = 0, recordsTotal: Int = 0, requestsDone: Int = 0, requestsTotal: Int = 0,
        elapsed: Duration = .zero, retries: Int = 0, rateLimited: Int = 0, rejected: Int = 0,
        recordsDoneBefore: Int = 0, requestsDoneBefore: Int = 0, recordsPerSecond: Double? = nil
    ) {
        self.recordsDelivered = recordsDelivered
        self.recordsTotal = recordsTotal
        self.requestsDone = requestsDone
        self.requestsTotal = requestsTotal
        self.elapsed = elapsed
        self.retries = retries
        self.rateLimited = rateLimited
        self.rejected = rejected
        self.recordsDoneBefore = recordsDoneBefore
        self.requestsDoneBefore = requestsDoneBefore
        self.recordsPerSecond = recordsPerSecond
    }

    /// Seconds left at the current rate, or `nil` when there is no rate, it is zero, or nothing is left.
    public var secondsRemaining: Double? {
        let left = recordsTotal - recordsDelivered - rejected
        guard left > 0, let rate = recordsPerSecond, rate > 0, rate.isFinite else { return nil }
        return Double(left) / rate
    }
}
