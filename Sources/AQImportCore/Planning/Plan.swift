/// The requests for a run, in the order they are sent, with the figures the dry-run summary prints.
public struct Plan: Sendable {
    /// Smallest, mean and largest number of ids in one request.
    public struct RequestSizes: Sendable, Hashable {
        public var min: Int
        public var mean: Double
        public var max: Int
    }

    public var requests: [PlannedRequest]
    /// L: no plan whose sources stay inside the windows below has fewer requests:
    /// max(ceil(N / 500), ceil(S / 100), ceil(P / 2)) with N the distinct ids, S the distinct session
    /// ids and P the sum over windows of ceil(ids / cap), cap 500 (100 for sessions). Because a source
    /// may straddle two of those windows, a plan could in principle go below it.
    public var lowerBound: Int
    /// P: the fewest sources when each window is cut into full pieces.
    public var minimumSourceCount: Int
    /// The (kind, scope) groups cut into the fewest windows of at most 7 days (examples and fixed-window
    /// records: one each).
    public var windowCount: Int
    /// Distinct ids per kind.
    public var recordCounts: [RecordKind: Int]
    /// Earliest and latest record timestamp; nil when no record has one.
    public var timeSpan: TimeWindow?

    public init(
        requests: [PlannedRequest], lowerBound: Int, minimumSourceCount: Int, windowCount: Int,
        recordCounts: [RecordKind: Int], timeSpan: TimeWindow?
    ) {
        self.requests = requests
        self.lowerBound = lowerBound
        self.minimumSourceCount = minimumSourceCount
        self.windowCount = windowCount
        self.recordCounts = recordCounts
        self.timeSpan = timeSpan
    }

    public var recordCount: Int { recordCounts.values.reduce(0, +) }

    public var sourceCount: Int { requests.reduce(0) { $0 + $1.sources.count } }

    /// nil for an empty plan.
    public var recordsPerRequest: RequestSizes? {
        guard !requests.isEmpty else { return nil }
        let counts = requests.map(\.recordCount)
        return RequestSizes(
            min: counts.min()!, mean: Double(counts.reduce(0, +)) / Double(counts.count), max: counts.max()!)
    }
}
