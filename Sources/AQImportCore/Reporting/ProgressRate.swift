/// Records per second over a sliding window: the records delivered since the newest sample at or before
/// the window's start, divided by the time since it. A stall brings the rate down to zero within one
/// window; a burst does not make it jump for longer than one.
public struct ProgressRate: Sendable {
    public let window: Duration
    /// Below this much history the rate is unknown (`nil`), so that the first burst shows no wild rate.
    public let minimumSpan: Duration
    private var samples: [(time: Duration, records: Int)] = []

    public init(window: Duration = .seconds(10), minimumSpan: Duration = .seconds(1)) {
        self.window = window
        self.minimumSpan = minimumSpan
    }

    /// Notes that `records` (a running total) had been delivered at `time`.
    public mutating func record(_ records: Int, at time: Duration) {
        if let last = samples.last, last.time == time {
            samples[samples.count - 1].records = records
        } else {
            samples.append((time, records))
        }
        prune(before: time)
    }

    public func recordsPerSecond(at now: Duration, current records: Int) -> Double? {
        let start = now - window
        guard let baseline = samples.last(where: { $0.time <= start }) ?? samples.first else { return nil }
        let span = now - baseline.time
        guard span >= minimumSpan else { return nil }
        return Double(records - baseline.records) / Self.seconds(span)
    }

    /// Drops samples older than the newest one at or before the window's start, which stays as baseline.
    private mutating func prune(before now: Duration) {
        let start = now - window
        if let keep = samples.lastIndex(where: { $0.time <= start }), keep > 0 {
            samples.removeFirst(keep)
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
