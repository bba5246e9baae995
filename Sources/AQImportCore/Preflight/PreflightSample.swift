/// The ids of one (kind, scope) group of a plan that the preflight looks up before anything is sent:
/// at most `idsPerGroup`, spread over the group's windows, chosen deterministically (the same plan
/// gives the same sample), in at most `lookupsPerGroup` look-ups.
///
/// The group's sources are taken in time order and put back into the windows of at most 7 days the
/// planner cut them from. With more windows than look-ups, look-ups go to windows evenly spread over
/// the group's time span, else to every window; inside a window to sources evenly spread. Each
/// look-up searches one source's ids in exactly the window they will be sent with, so that an id the
/// delivery's window would miss is missed here too. The ids are shared out among the look-ups in turn,
/// and taken evenly inside each source (the middle of each equal stretch).
public struct PreflightSample: Sendable, Hashable {
    /// One read call's worth: ids searched in one window (nil for examples).
    public struct Lookup: Sendable, Hashable {
        public var window: TimeWindow?
        public var ids: [RecordID]

        public init(window: TimeWindow?, ids: [RecordID]) {
            self.window = window
            self.ids = ids
        }
    }

    public var kind: RecordKind
    public var scope: Scope
    public var lookups: [Lookup]
    /// The group's distinct ids in the plan.
    public var groupSize: Int
    /// The group's windows of at most 7 days (one for examples and fixed-window records).
    public var windowCount: Int

    public static let idsPerGroup = 20
    /// Few calls: the whole preflight of a 100k-span import must cost well under a second.
    public static let lookupsPerGroup = 5

    public init(kind: RecordKind, scope: Scope, lookups: [Lookup], groupSize: Int, windowCount: Int) {
        self.kind = kind
        self.scope = scope
        self.lookups = lookups
        self.groupSize = groupSize
        self.windowCount = windowCount
    }

    public var sampledCount: Int { lookups.reduce(0) { $0 + $1.ids.count } }

    private struct GroupKey: Hashable {
        var kind: RecordKind
        var scope: Scope
    }

    private struct SourceRef {
        var request: Int
        var source: Int
        var window: TimeWindow?
        var count: Int
    }

    /// One sample per (kind, scope) group of `plan`, groups in kind then scope order.
    public static func draw(
        from plan: Plan, idsPerGroup: Int = PreflightSample.idsPerGroup,
        lookupsPerGroup: Int = PreflightSample.lookupsPerGroup
    ) -> [PreflightSample] {
        var groups: [GroupKey: [SourceRef]] = [:]
        for (r, request) in plan.requests.enumerated() {
            for (s, source) in request.sources.enumerated() where !source.ids.isEmpty {
                groups[GroupKey(kind: source.kind, scope: source.scope), default: []].append(
                    SourceRef(request: r, source: s, window: source.window, count: source.ids.count))
            }
        }
        return groups.keys.sorted { ($0.kind, $0.scope) < ($1.kind, $1.scope) }.map { key in
            sample(
                key: key, sources: groups[key]!, plan: plan, idsPerGroup: max(idsPerGroup, 1),
                lookupsPerGroup: max(lookupsPerGroup, 1))
        }
    }

    private static func sample(
        key: GroupKey, sources unordered: [SourceRef], plan: Plan, idsPerGroup: Int, lookupsPerGroup: Int
    ) -> PreflightSample {
        // Time order; ties (and untimed sources) keep plan order, so the sample is deterministic.
        let sources = unordered.enumerated().sorted { a, b in
            let (x, y) = (a.element.window, b.element.window)
            switch (x, y) {
            case (let x?, let y?) where x != y: return (x.start, x.end) < (y.start, y.end)
            case (nil, _?): return true
            case (_?, nil): return false
            default: return a.offset < b.offset
            }
        }.map(\.element)
        let windows = regroup(sources)
        let total = sources.reduce(0) { $0 + $1.count }

        // Look-ups to windows: every window while there are look-ups enough (the spare ones in turn to
        // windows with more sources), else windows evenly spread; then sources evenly spread inside each.
        var lookupsPerWindow = Array(repeating: 0, count: windows.count)
        if windows.count > lookupsPerGroup {
            for i in 0..<lookupsPerGroup { lookupsPerWindow[(2 * i + 1) * windows.count / (2 * lookupsPerGroup)] = 1 }
        } else {
            var left = min(lookupsPerGroup, sources.count)
            while left > 0 {
                for w in windows.indices where left > 0 && lookupsPerWindow[w] < windows[w].sources.count {
                    lookupsPerWindow[w] += 1
                    left -= 1
                }
            }
        }
        let picked: [SourceRef] = windows.indices.flatMap { w -> [SourceRef] in
            let (k, m) = (lookupsPerWindow[w], windows[w].sources.count)
            return (0..<k).map { windows[w].sources[(2 * $0 + 1) * m / (2 * k)] }
        }

        // Ids to the picked sources in turn, then evenly inside each (the middle of equal stretches).
        var quotas = Array(repeating: 0, count: picked.count)
        var left = min(idsPerGroup, picked.reduce(0) { $0 + $1.count })
        while left > 0 {
            for i in picked.indices where left > 0 && quotas[i] < picked[i].count {
                quotas[i] += 1
                left -= 1
            }
        }
        // Sources with the same window (examples, a fixed window) share one look-up: the same listing.
        var lookups: [Lookup] = []
        for (ref, q) in zip(picked, quotas) where q > 0 {
            let ids = plan.requests[ref.request].sources[ref.source].ids
            let sampled = (0..<q).map { ids[(2 * $0 + 1) * ref.count / (2 * q)] }
            if let same = lookups.firstIndex(where: { $0.window == ref.window }) {
                lookups[same].ids += sampled
            } else {
                lookups.append(Lookup(window: ref.window, ids: sampled))
            }
        }
        return PreflightSample(
            kind: key.kind, scope: key.scope, lookups: lookups, groupSize: total, windowCount: windows.count)
    }

    private struct Window {
        var sources: [SourceRef] = []
        var count = 0
        var hull: TimeWindow?
    }

    /// The planner's windows again: consecutive sources (in time order) while their hull spans at most
    /// 7 days. Untimed sources (examples, a fixed window) make one window.
    private static func regroup(_ sources: [SourceRef]) -> [Window] {
        var windows: [Window] = []
        var current = Window()
        for ref in sources {
            if !current.sources.isEmpty {
                let fits: Bool
                switch (current.hull, ref.window) {
                case (let hull?, let window?):
                    let span =
                        max(hull.end, window.end).nanosecondsSinceEpoch
                        - min(hull.start, window.start).nanosecondsSinceEpoch
                    fits = span <= APILimits.maxWindowSeconds * 1_000_000_000
                case (nil, nil): fits = true
                default: fits = false
                }
                if !fits {
                    windows.append(current)
                    current = Window()
                }
            }
            current.sources.append(ref)
            current.count += ref.count
            if let window = ref.window {
                current.hull =
                    current.hull.map { TimeWindow(start: min($0.start, window.start), end: max($0.end, window.end)) }
                    ?? window
            }
        }
        if !current.sources.isEmpty { windows.append(current) }
        return windows
    }
}
