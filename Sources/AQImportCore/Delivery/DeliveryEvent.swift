/// Progress as it happens, for the progress line and the log.
public enum DeliveryEvent: Sendable, Hashable {
    /// A planned request settled with every id taken.
    case delivered(request: RequestID, status: Int, records: Int, created: Int)
    /// A planned request settled with some ids refused; the rest were delivered.
    case rejected(request: RequestID, rejections: [ServerRejection], created: Int)
    /// An attempt failed and another follows after `delay`; `attempt` is the one that failed.
    case retryScheduled(request: RequestID, attempt: Int, delay: Duration, cause: RetryCause)
    /// A 400/422 answer: the request (or a piece of it) of `ids` ids is being split in two.
    case bisecting(request: RequestID, ids: Int, status: Int, detail: String)
    /// The AIMD controller moved the concurrency limit.
    case concurrencyChanged(from: Int, to: Int)
    /// `stop()` was called: nothing more is dispatched.
    case stopping
    /// The run is stopping for a reason that needs the user.
    case aborting(DeliveryAbortReason)
}
