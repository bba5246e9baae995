/// What a delivery run did, for the summary.
public struct DeliveryCounters: Sendable, Hashable {
    /// Planned requests settled with every id taken (200 or 201).
    public var requestsDelivered = 0
    /// Planned requests settled with some ids refused (the others delivered).
    public var requestsWithRejections = 0
    /// Planned requests dispatched but not settled (stopped, aborted or cancelled): resent on resume.
    public var requestsUnfinished = 0
    /// Of those, requests that used up `maxAttempts` (the run then ends aborted).
    public var requestsGivenUp = 0
    /// Records the server reported as created (entries of 201 bodies).
    public var recordsCreated = 0
    /// Records accepted but not created: already in the queue (200, or the remainder of a 201).
    public var recordsAlreadyPresent = 0
    /// HTTP attempts made, first tries, retries and bisection pieces included.
    public var attempts = 0
    public var retries = 0
    public var throttled = 0
    public var serverErrors = 0
    public var transportErrors = 0
    /// Bisection pieces sent (each half of a split).
    public var bisectionRequests = 0
    public var rejections: [ServerRejection] = []

    public init() {}
}
