/// How a delivery run ended, with what it did.
public struct DeliveryOutcome: Sendable, Hashable {
    public enum Status: Sendable, Hashable {
        /// Every planned request was settled (delivered, or delivered with some ids rejected).
        case completed
        /// Stopped for a reason that needs the user (bad key, missing queue, a sick server): exit 3.
        case aborted(reason: DeliveryAbortReason, resumable: Bool)
        /// Stopped by `stop()` or by cancellation before everything was settled: exit 130.
        case interrupted
    }

    public var status: Status
    public var counters: DeliveryCounters

    public init(status: Status, counters: DeliveryCounters) {
        self.status = status
        self.counters = counters
    }
}
