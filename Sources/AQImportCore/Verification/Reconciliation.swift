import Foundation

/// Settles every id an import delivered as created by it, already in the queue, or not found, from
/// the journal (what each request landed, the baseline, earlier findings) and, when the queue was
/// listed, what the queue holds.
///
/// How an id that no 201 confirmed is settled: found in the queue and in the baseline (the queue held
/// it before the first request) → already present; found and not in the baseline → created by this
/// import (its answer was lost, or a resend after a crash was answered 200); without a baseline (a
/// journal that never listed the queue before sending) → already present, since the two cannot be
/// told apart; not found → not found by the server.
public struct Reconciliation: Sendable {
    /// One delivered id the queue does not hold.
    public struct Missing: Sendable, Hashable {
        public var kind: RecordKind
        public var scope: Scope
        public var window: TimeWindow?
        public var id: RecordID
        /// A 201 had confirmed it (or an earlier verification found it): it was in the queue and is gone.
        public var wasCreated: Bool

        /// What the server was asked, for the rejects files.
        public var reason: String {
            if wasCreated { return "created by this import but no longer in the queue" }
            var text = "not found in \(scope.description)"
            if let window { text += " between \(window.start.rfc3339) and \(window.end.rfc3339)" }
            return text
        }
    }

    public struct GroupKey: Sendable, Hashable, Comparable {
        public var kind: RecordKind
        public var scope: Scope

        public static func < (lhs: GroupKey, rhs: GroupKey) -> Bool { (lhs.kind, lhs.scope) < (rhs.kind, rhs.scope) }
    }

    public var perKind: [RecordKind: ReconciliationCounts] = [:]
    public var perGroup: [GroupKey: ReconciliationCounts] = [:]
    public var missing: [Missing] = []
    /// Ids found in the queue without a 201 confirming them and not in the baseline: to journal.
    public var newlyFound: [JournalMatches.Match] = []
    /// Whether the queue was listed (otherwise unconfirmed ids stay unconfirmed).
    public var listed = false
    /// Records the listing returned.
    public var queuedRecords = 0
    /// The listing was read during delivery (`QueueTailFollower`): none was needed after it.
    public var followed = false

    public var total: ReconciliationCounts { perKind.values.reduce(ReconciliationCounts(), +) }

    /// The delivered ids and each one's class, for counting per input: the place of its one count in
    /// `ReconciliationCounts` (created, already present, not found, unconfirmed), a byte an id.
    public var delivered: DeliveredIDs?
    public var classes: [UInt8] = []

    static func counts(ofClass code: UInt8) -> ReconciliationCounts {
        switch code {
        case 0: ReconciliationCounts(created: 1)
        case 1: ReconciliationCounts(alreadyPresent: 1)
        case 2: ReconciliationCounts(notFound: 1)
        default: ReconciliationCounts(unconfirmed: 1)
        }
    }

    static func classCode(of counts: ReconciliationCounts) -> UInt8 {
        counts.created > 0 ? 0 : counts.alreadyPresent > 0 ? 1 : counts.notFound > 0 ? 2 : 3
    }

    /// The counts of the delivered ids among `ids` (each counted once).
    public func counts(of ids: some Sequence<(RecordKind, Scope, RecordID)>) -> ReconciliationCounts {
        guard let delivered else { return ReconciliationCounts() }
        var seen = Set<Int>()
        var total = ReconciliationCounts()
        for (kind, scope, id) in ids {
            guard let at = delivered.position(of: IDKey(kind: kind, id: id), scope: scope), seen.insert(at).inserted
            else { continue }
            total = total + Self.counts(ofClass: classes[at])
        }
        return total
    }

    /// Groups none of whose ids the queue holds.
    public var groupsWithNoneFound: [GroupKey] {
        perGroup.filter { $0.value.notFound > 0 && $0.value.notFound == $0.value.total }.keys.sorted()
    }
}

/// The delivered ids of a journal, keyed by bytes, with what the journal knows of each.
public struct DeliveredIDs: Sendable {
    /// A source's kind, scope and window, kept once for all of its ids.
    public struct Source: Sendable, Hashable {
        public var kind: RecordKind
        public var scope: Scope
        public var window: TimeWindow?
    }

    public struct Entry: Sendable {
        /// Where its id is: a list of `idLists` (a landing's source's ids) and a place in it (`id(of:)`).
        var idList: Int32
        var idPlace: Int32
        /// Where the record id a 201 (or an earlier verification) tied to it is: a list of
        /// `recordIDLists` and a place in it; `recordIDList` is -1 when there is none (`recordID(of:)`).
        var recordIDList: Int32 = -1
        var recordIDPlace: Int32 = 0
        /// Index into `sources`.
        public var source: Int32
        public var inBaseline = false
        public var foundEarlier = false

        init(source: Int32, idList: Int32, idPlace: Int32) {
            self.idList = idList
            self.idPlace = idPlace
            self.source = source
        }

        public var hasRecordID: Bool { recordIDList >= 0 }
    }

    public private(set) var entries: [Entry] = []
    public private(set) var sources: [Source] = []
    private var sourceIndex: [Source: Int32] = [:]
    /// The first entry of each kind and id.
    private var index = IDPositionTable()
    /// The next entry with the same kind and id in another scope (one session id in two projects):
    /// the listing names ids without their scope, so these are settled by how many records it shows.
    private var nextWithSameID: [Int: Int] = [:]
    /// Records created by this import whose `data` named none of its ids: undo deletes them too.
    public private(set) var unnamedRecordIDs: [String] = []
    /// The record ids entries point at: each landing's (shared with the journal state, not copied),
    /// then those earlier verifications found. A String each cost about 80 bytes an id.
    private var recordIDLists: [PackedStrings] = []
    /// The ids entries point at: each landing's sources' ids, shared with the journal state.
    private var idLists: [[RecordID]] = []
    public let baselineTaken: Bool

    /// The ids of every settled request, less those the server refused.
    public init(state: JournalState) {
        baselineTaken = state.baseline != nil
        entries.reserveCapacity(
            state.landings.values.joined().reduce(0) { total, landing in
                landing.sources.reduce(total) { $0 + $1.ids.count }
            })
        for (request, landings) in state.landings.sorted(by: { $0.key < $1.key }) where state.isSettled(request) {
            let refused = Set(
                (state.rejected[request]?.rejections ?? []).map { IDKey(kind: $0.kind, bytes: Array($0.id.utf8)) })
            for landing in landings {
                let sourcePositions = landing.sources.map { source -> Int32 in
                    let key = Source(kind: source.kind, scope: source.scope, window: source.window)
                    if let known = sourceIndex[key] { return known }
                    sources.append(key)
                    sourceIndex[key] = Int32(sources.count - 1)
                    return Int32(sources.count - 1)
                }
                var positions: [Int] = []
                positions.reserveCapacity(landing.sources.reduce(0) { $0 + $1.ids.count })
                for (at, source) in landing.sources.enumerated() {
                    let list = Int32(idLists.count)
                    idLists.append(source.ids)
                    for (place, id) in source.ids.enumerated() {
                        let key = IDKey(kind: source.kind, id: id)
                        if refused.contains(key) {
                            positions.append(-1)
                            continue
                        }
                        positions.append(
                            position(of: key, source: sourcePositions[at], idList: list, idPlace: Int32(place)))
                    }
                }
                let list = Int32(recordIDLists.count)
                recordIDLists.append(landing.recordIDs)
                for (place, position) in landing.createdIndices.enumerated() {
                    if position >= 0, Int(position) < positions.count, positions[Int(position)] >= 0 {
                        entries[positions[Int(position)]].recordIDList = list
                        entries[positions[Int(position)]].recordIDPlace = Int32(place)
                    } else {
                        unnamedRecordIDs.append(landing.recordIDs[place])
                    }
                }
            }
        }
        for match in state.baseline ?? [] {
            let key = IDKey(kind: match.kind, bytes: Array(match.id.utf8))
            if let at = positions(of: key).first(where: { !entries[$0].inBaseline }) { entries[at].inBaseline = true }
        }
        var foundRecordIDs = PackedStrings()
        let foundList = Int32(recordIDLists.count)
        for match in state.found {
            let key = IDKey(kind: match.kind, bytes: Array(match.id.utf8))
            if let at = positions(of: key).first(where: { !entries[$0].foundEarlier }) {
                entries[at].foundEarlier = true
                if !entries[at].hasRecordID {
                    entries[at].recordIDList = foundList
                    entries[at].recordIDPlace = Int32(foundRecordIDs.count)
                    foundRecordIDs.append(match.recordID)
                }
            }
        }
        recordIDLists.append(foundRecordIDs)
    }

    /// The entry of `key` in the scope of `source`, added (its id at `idPlace` of `idList`) when there
    /// is none.
    private mutating func position(of key: IDKey, source: Int32, idList: Int32, idPlace: Int32) -> Int {
        let scope = sources[Int(source)].scope
        guard var at = first(key) else {
            do {
                // The table cannot read `self` while it changes: it reads these (shared, not copied).
                let known = entries
                let knownSources = sources
                let knownIDs = idLists
                index.insert(known.count, key: key) {
                    IDKey(
                        kind: knownSources[Int(known[$0].source)].kind,
                        id: knownIDs[Int(known[$0].idList)][Int(known[$0].idPlace)])
                }
            }
            entries.append(Entry(source: source, idList: idList, idPlace: idPlace))
            return entries.count - 1
        }
        while sources[Int(entries[at].source)].scope != scope {
            guard let next = nextWithSameID[at] else {
                nextWithSameID[at] = entries.count
                entries.append(Entry(source: source, idList: idList, idPlace: idPlace))
                return entries.count - 1
            }
            at = next
        }
        return at
    }

    /// The first entry of a kind and id.
    private func first(_ key: IDKey) -> Int? {
        index.position(of: key) { key.matches(kind: sources[Int(entries[$0].source)].kind, id: id(of: $0)) }
    }

    public var count: Int { entries.count }

    /// The id of entry `at`.
    public func id(of at: Int) -> RecordID {
        idLists[Int(entries[at].idList)][Int(entries[at].idPlace)]
    }

    /// The record a 201 (or an earlier verification) tied to entry `at`, if any.
    public func recordID(of at: Int) -> String? {
        let entry = entries[at]
        guard entry.hasRecordID else { return nil }
        return recordIDLists[Int(entry.recordIDList)][Int(entry.recordIDPlace)]
    }

    /// Every entry of a kind and id, one per scope it was delivered in.
    public func positions(of key: IDKey) -> [Int] {
        guard var at = first(key) else { return [] }
        var all = [at]
        while let next = nextWithSameID[at] {
            all.append(next)
            at = next
        }
        return all
    }

    /// Marks in `inQueue` (one place per entry) the entries that `records`, part of a listing of the
    /// queue, show, with the record id shown for an entry the journal ties to none; for the others,
    /// which `reconcile` counts without their record id, an empty one, so that a listing of the whole
    /// queue does not hold a second copy of every record id.
    public func mark(_ records: some Sequence<QueueRecord>, in inQueue: inout [String?]) {
        for record in records {
            // One record for each scope the id was delivered in: the listing does not say which.
            guard let kind = record.kind, let bytes = record.sourceID,
                let at = positions(of: IDKey(kind: kind, bytes: bytes)).first(where: { inQueue[$0] == nil })
            else { continue }
            inQueue[at] = entries[at].hasRecordID ? "" : record.recordID
        }
    }

    /// The entry of a kind and id in one scope.
    public func position(of key: IDKey, scope: Scope) -> Int? {
        positions(of: key).first { sources[Int(entries[$0].source)].scope == scope }
    }

    /// Whether some delivered id has no record tied to it, so that only a listing settles it.
    public var hasUnconfirmed: Bool { entries.contains { !$0.hasRecordID } }

    /// The records this import created (a 201 or a verification tied them to it), for undo.
    public var createdRecordIDs: [String] {
        entries.indices.compactMap { entries[$0].inBaseline ? nil : recordID(of: $0) } + unnamedRecordIDs
    }

    /// Settles every id. `queue` is what a listing found (`inQueue[i]` for entry `i`, with the record
    /// id the listing showed), or nil when the queue was not listed.
    public func reconcile(inQueue: [String?]?) -> Reconciliation {
        var result = Reconciliation()
        result.listed = inQueue != nil
        result.delivered = self
        result.classes.reserveCapacity(entries.count)
        for (at, entry) in entries.enumerated() {
            let source = sources[Int(entry.source)]
            var counts = ReconciliationCounts()
            var missing = false
            if let inQueue {
                if let listedRecord = inQueue[at] {
                    if entry.hasRecordID && !entry.inBaseline {
                        counts.created = 1
                    } else if entry.inBaseline || !baselineTaken {
                        counts.alreadyPresent = 1
                    } else {
                        counts.created = 1
                        result.newlyFound.append(
                            JournalMatches.Match(kind: source.kind, id: id(of: at).text, recordID: listedRecord))
                    }
                } else {
                    counts.notFound = 1
                    missing = true
                }
            } else if entry.hasRecordID {
                counts.created = 1
            } else {
                counts.unconfirmed = 1
            }
            result.classes.append(Reconciliation.classCode(of: counts))
            if missing {
                result.missing.append(
                    Reconciliation.Missing(
                        kind: source.kind, scope: source.scope, window: source.window, id: id(of: at),
                        wasCreated: entry.hasRecordID && !entry.inBaseline))
            }
            result.perKind[source.kind, default: ReconciliationCounts()] =
                result.perKind[source.kind, default: ReconciliationCounts()] + counts
            let group = Reconciliation.GroupKey(kind: source.kind, scope: source.scope)
            result.perGroup[group, default: ReconciliationCounts()] =
                result.perGroup[group, default: ReconciliationCounts()] + counts
        }
        return result
    }
}
