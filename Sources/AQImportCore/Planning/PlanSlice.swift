/// A run of one group's sorted ids that may share a source window: a greedy window of at most 7 days
/// for timestamped project records, or all of the group's ids without a timestamp (examples, and
/// project records under the fixed window).
struct PlanSlice: Sendable, Hashable {
    var group: Int
    var range: Range<Int>
    var isTimed: Bool

    private static let nanosPerSecond: Int64 = 1_000_000_000

    /// The window a source of timestamped ids gets: whole seconds, `APILimits.windowPaddingSeconds` beyond
    /// the first and last id's times, rounded outwards.
    static func window(first: Int64, last: Int64) -> TimeWindow {
        let pad = APILimits.windowPaddingSeconds
        return TimeWindow(
            start: Timestamp(secondsSinceEpoch: floorSeconds(first) - pad),
            end: Timestamp(secondsSinceEpoch: ceilSeconds(last) + pad))
    }

    /// Cuts `times` (sorted; untimed ones from `timedEnd` on) into the fewest windows: greedy from the
    /// earliest id, each window as long as its padded, rounded bounds stay within 7 days. Greedy from the
    /// left is optimal for covering points on a line with intervals of a fixed length.
    static func cut<Times: RandomAccessCollection<Int64>>(
        group: Int, kind: RecordKind, times: Times, timedEnd: Int
    ) -> [PlanSlice] where Times.Index == Int {
        guard kind.isProjectKind else {
            return times.isEmpty ? [] : [PlanSlice(group: group, range: 0..<times.count, isTimed: false)]
        }
        var out: [PlanSlice] = []
        let reach = APILimits.maxWindowSeconds - 2 * APILimits.windowPaddingSeconds
        var lo = 0
        while lo < timedEnd {
            let limit = floorSeconds(times[lo]) + reach
            var hi = lo + 1
            while hi < timedEnd && ceilSeconds(times[hi]) <= limit { hi += 1 }
            out.append(PlanSlice(group: group, range: lo..<hi, isTimed: true))
            lo = hi
        }
        if timedEnd < times.count {
            out.append(PlanSlice(group: group, range: timedEnd..<times.count, isTimed: false))
        }
        return out
    }

    static func floorSeconds(_ nanos: Int64) -> Int64 {
        let (q, r) = nanos.quotientAndRemainder(dividingBy: nanosPerSecond)
        return r < 0 ? q - 1 : q
    }

    static func ceilSeconds(_ nanos: Int64) -> Int64 {
        let (q, r) = nanos.quotientAndRemainder(dividingBy: nanosPerSecond)
        return r > 0 ? q + 1 : q
    }
}
