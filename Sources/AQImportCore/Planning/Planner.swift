/// Turns records into a plan of add-records requests: de-duplicates them exactly per (kind, scope, id),
/// cuts each (kind, scope) into windows of at most 7 days and packs the pieces into few requests that
/// obey every rule of the API (shared/api/README.md).
///
/// Memory grows with distinct ids only; `RecordRef`s are not kept. The plan depends only on the set of
/// distinct records and the options, not on the order they were added in.
public struct Planner: Sendable {
    private struct GroupKey: Hashable, Sendable {
        var kind: RecordKind
        var scope: Scope
    }

    public let options: PlanOptions
    private var groups: [RecordGroup] = []
    private var groupIndex: [GroupKey: Int] = [:]
    /// The last few groups looked up: exports interleave a few projects, and a hash a record is dear.
    private var recentGroups: [(key: GroupKey, index: Int)] = []
    private static let recentGroupLimit = 8

    /// Distinct (kind, scope, id) added so far.
    public private(set) var distinctCount = 0
    /// Duplicates that came with a different timestamp than the one kept (the earliest is kept).
    public private(set) var retimedCount = 0

    public init(options: PlanOptions = .init()) {
        self.options = options
    }

    /// Adds a record; false when (kind, scope, id) was already added: a duplicate, counted by the caller.
    /// A project record without a timestamp needs `options.fixedWindow` (the caller rejects it otherwise).
    @discardableResult
    public mutating func add(_ record: RecordRef) -> Bool {
        precondition(!record.id.isEmpty, "empty ids are rejected before planning")
        let time: Int64
        if record.kind.isProjectKind, let timestamp = record.timestamp {
            // Readers accept only times whose window keeps them a second inside (`Timestamp.isAccepted`);
            // any other is held to that range, so that every window stays one the API takes.
            time = min(
                max(timestamp.nanosecondsSinceEpoch, Timestamp.earliestAccepted.nanosecondsSinceEpoch),
                Timestamp.latestAccepted.nanosecondsSinceEpoch)
        } else {
            precondition(
                !record.kind.isProjectKind || options.fixedWindow != nil,
                "a project record without a timestamp needs PlanOptions.fixedWindow")
            time = RecordGroup.untimed
        }
        let index = group(record.kind, record.scope)
        let (inserted, retimed) = groups[index].insert(record.id, time: time)
        if inserted { distinctCount += 1 }
        if retimed { retimedCount += 1 }
        return inserted
    }

    /// Adds a run's records, as `add` would one by one; how many of them were new (the others are
    /// duplicates).
    public mutating func add(_ run: RecordRun) -> Int {
        let index = group(run.kind, run.scope)
        let accepted: ClosedRange<Int64>?
        if run.kind.isProjectKind {
            if options.fixedWindow == nil {
                precondition(
                    !run.entries.contains { $0.time == RecordRun.untimed },
                    "a project record without a timestamp needs PlanOptions.fixedWindow")
            }
            accepted =
                Timestamp.earliestAccepted.nanosecondsSinceEpoch...Timestamp.latestAccepted.nanosecondsSinceEpoch
        } else {
            accepted = nil
        }
        let (inserted, retimed) = run.entries.withUnsafeBufferPointer { groups[index].insert($0, accepted: accepted) }
        distinctCount += inserted
        retimedCount += retimed
        return inserted
    }

    /// The index of the group of (kind, scope), made when it is new.
    @inline(__always)
    private mutating func group(_ kind: RecordKind, _ scope: Scope) -> Int {
        if let recent = recentGroup(kind, scope) { return recent }
        let key = GroupKey(kind: kind, scope: scope)
        let index: Int
        if let found = groupIndex[key] {
            index = found
        } else {
            index = groups.count
            groups.append(RecordGroup(kind: kind, scope: scope))
            groupIndex[key] = index
        }
        if recentGroups.count == Self.recentGroupLimit { recentGroups.removeFirst() }
        recentGroups.append((key, index))
        return index
    }

    /// Hints that `record` is added soon: its slot's memory is fetched meanwhile. Without effect on
    /// the plan.
    @inline(__always)
    public func prefetch(_ record: RecordRef) {
        guard case .hex64 = record.id, let index = recentGroup(record.kind, record.scope) else { return }
        groups[index].prefetch(record.id)
    }

    /// The group of (kind, scope) among the recent ones, compared in place (a copy of each key would
    /// cost more than the comparison).
    @inline(__always)
    private func recentGroup(_ kind: RecordKind, _ scope: Scope) -> Int? {
        recentGroups.withUnsafeBufferPointer { recent in
            for k in recent.indices where recent[k].key.kind == kind && recent[k].key.scope == scope {
                return recent[k].index
            }
            return nil
        }
    }

    public func plan() -> Plan {
        let ordered = groups.sorted { ($0.kind, $0.scope) < ($1.kind, $1.scope) }
        var sortedGroups: [SortedIDs] = []
        var slices: [PlanSlice] = []
        var items: [PackingItem] = []
        var recordCounts: [RecordKind: Int] = [:]
        var earliest = Int64.max
        var latest = Int64.min
        let sortedAll = ParallelMap.map(count: ordered.count) { ordered[$0].sorted() }
        for (g, group) in ordered.enumerated() {
            let sorted = sortedAll[g]
            sortedGroups.append(sorted)
            recordCounts[group.kind, default: 0] += sorted.count
            let timedEnd = timedCount(sorted.times)
            if timedEnd > 0 {
                earliest = min(earliest, sorted.time(at: 0))
                latest = max(latest, sorted.time(at: timedEnd - 1))
            }
            for slice in PlanSlice.cut(group: g, kind: group.kind, times: sorted.times, timedEnd: timedEnd) {
                slices.append(slice)
                items.append(PackingItem(kind: group.kind, size: slice.range.count))
            }
        }

        let packed = Packer.pack(items)
        let requests = materialize(packed, slices, ordered, sortedGroups)

        let total = items.reduce(0) { $0 + $1.size }
        let sessions = items.reduce(0) { $0 + ($1.isSession ? $1.size : 0) }
        let pieces = items.reduce(0) { $0 + $1.minimumPieces }
        let lowerBound = max(
            ceilDiv(total, APILimits.maxRecordsPerRequest), ceilDiv(sessions, APILimits.maxSessionsPerRequest),
            ceilDiv(pieces, APILimits.maxSourcesPerRequest))
        let timeSpan =
            earliest <= latest
            ? TimeWindow(
                start: Timestamp(nanosecondsSinceEpoch: earliest), end: Timestamp(nanosecondsSinceEpoch: latest))
            : nil
        return Plan(
            requests: requests, lowerBound: lowerBound, minimumSourceCount: pieces, windowCount: items.count,
            recordCounts: recordCounts, timeSpan: timeSpan)
    }

    /// Gives each piece its ids (consecutive in (timestamp, id) order, in the order the packer made the
    /// requests), orders each request's sources by group and time, and the requests by their first source.
    private func materialize(
        _ packed: [[PackedPiece]], _ slices: [PlanSlice], _ groups: [RecordGroup],
        _ sorted: [SortedIDs]
    ) -> [PlannedRequest] {
        struct Placed {
            var item: Int
            var range: Range<Int>
        }
        var next = slices.map(\.range.lowerBound)
        var placed: [[Placed]] = packed.map { request in
            request.map { piece in
                let start = next[piece.item]
                next[piece.item] += piece.size
                return Placed(item: piece.item, range: start..<(start + piece.size))
            }
        }
        for i in placed.indices {
            placed[i].sort { ($0.item, $0.range.lowerBound) < ($1.item, $1.range.lowerBound) }
        }
        placed.sort { ($0[0].item, $0[0].range.lowerBound) < ($1[0].item, $1[0].range.lowerBound) }

        // Each request's body is encoded and hashed for its id: the bulk of this step, spread over the cores.
        return ParallelMap.map(count: placed.count, chunk: 64) { r in
            let request = placed[r]
            return PlannedRequest(
                sources: request.map { piece in
                    let slice = slices[piece.item]
                    let group = groups[slice.group]
                    let ids = sorted[slice.group]
                    let window: TimeWindow?
                    if !group.kind.isProjectKind {
                        window = nil
                    } else if slice.isTimed {
                        window = PlanSlice.window(
                            first: ids.time(at: piece.range.first!), last: ids.time(at: piece.range.last!))
                    } else {
                        window = options.fixedWindow
                    }
                    return RecordSource(
                        kind: group.kind, scope: group.scope, window: window, ids: ids.ids(piece.range))
                })
        }
    }
}

/// How many of `times` (sorted, untimed last) carry a timestamp.
private func timedCount(_ times: SortedIDs.Times) -> Int {
    var lo = 0
    var hi = times.count
    while lo < hi {
        let mid = (lo + hi) / 2
        if times[mid] == RecordGroup.untimed { hi = mid } else { lo = mid + 1 }
    }
    return lo
}

private func ceilDiv(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b }
