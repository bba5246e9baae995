/// What a reader's calls cost, kept apart from the delivery's counters: reads are never deliveries.
public struct RemoteReadCounters: Sendable, Hashable {
    /// Reads that got a final answer (or gave up), each counted once however often it was tried.
    public var reads = 0
    /// HTTP attempts, retries included.
    public var attempts = 0
    public var retries = 0
    public var throttled = 0
    public var serverErrors = 0
    public var transportErrors = 0

    public init() {}
}
