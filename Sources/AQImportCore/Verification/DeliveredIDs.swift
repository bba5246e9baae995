import Foundation

/// The delivered ids of a journal, keyed by bytes, with what the journal knows of each.
///
/// About 16 bytes an entry and its place in `IDPositionTable`: the ids are the journal state's (or the
/// plan's, which the replay shares them with), and the record ids are kept only when the state kept
/// them (`JournalState.recordIDsKept`, 8 bytes an entry more), which only undo needs.
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
        /// Index into `sources`.
        public var source: Int32
        /// A 201 (or an earlier verification) tied a record to it.
        public internal(set) var isConfirmed = false
        /// The queue held it before the first request.
        public internal(set) var inBaseline = false
        /// An earlier verification found it without a 201 confirming it.
        public internal(set) var foundEarlier = false

        init(source: Int32, idList: Int32, idPlace: Int32) {
            self.idList = idList
            self.idPlace = idPlace
            self.source = source
        }
    }

    /// Where the record id tied to an entry is: a list of `recordIDLists` and a place in it.
    private struct RecordIDPlace: Sendable {
        var list: Int32
        var place: Int32
    }

    public private(set) var entries: [Entry] = []
    public private(set) var sources: [Source] = []
    private var sourceIndex: [Source: Int32] = [:]
    /// The first entry of each kind and id.
    private var index = IDPositionTable()
    /// The next entry with the same kind and id in another scope (one session id in two projects):
    /// the listing names ids without their scope, so these are settled by how many records it shows.
    private var nextWithSameID: [Int: Int] = [:]
    /// Whether the record ids are kept (`recordID(of:)`, `createdRecordIDs`).
    public let recordIDsKept: Bool
    /// Per entry, where its record id is (empty unless `recordIDsKept`).
    private var recordIDPlaces: [RecordIDPlace] = []
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
        recordIDsKept = state.recordIDsKept
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
                if recordIDsKept { recordIDLists.append(landing.recordIDs) }
                for (place, position) in landing.createdIndices.enumerated() {
                    if position >= 0, Int(position) < positions.count, positions[Int(position)] >= 0 {
                        let at = positions[Int(position)]
                        entries[at].isConfirmed = true
                        if recordIDsKept { recordIDPlaces[at] = RecordIDPlace(list: list, place: Int32(place)) }
                    } else if recordIDsKept {
                        unnamedRecordIDs.append(landing.recordIDs[place])
                    }
                }
            }
        }
        for match in state.baseline ?? [] {
            let key = IDKey(kind: match.kind, bytes: Array(match.id.utf8))
            if let at = first(key, where: { !entries[$0].inBaseline }) { entries[at].inBaseline = true }
        }
        var foundRecordIDs = PackedStrings()
        let foundList = Int32(recordIDLists.count)
        for match in state.found {
            let key = IDKey(kind: match.kind, bytes: Array(match.id.utf8))
            if let at = first(key, where: { !entries[$0].foundEarlier }) {
                entries[at].foundEarlier = true
                if !entries[at].isConfirmed {
                    entries[at].isConfirmed = true
                    if recordIDsKept {
                        recordIDPlaces[at] = RecordIDPlace(list: foundList, place: Int32(foundRecordIDs.count))
                        foundRecordIDs.append(match.recordID)
                    }
                }
            }
        }
        if recordIDsKept { recordIDLists.append(foundRecordIDs) }
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
            return append(Entry(source: source, idList: idList, idPlace: idPlace))
        }
        while sources[Int(entries[at].source)].scope != scope {
            guard let next = nextWithSameID[at] else {
                nextWithSameID[at] = entries.count
                return append(Entry(source: source, idList: idList, idPlace: idPlace))
            }
            at = next
        }
        return at
    }

    private mutating func append(_ entry: Entry) -> Int {
        entries.append(entry)
        if recordIDsKept { recordIDPlaces.append(RecordIDPlace(list: -1, place: 0)) }
        return entries.count - 1
    }

    /// The first entry of a kind and id.
    private func first(_ key: IDKey) -> Int? {
        index.position(of: key) { key.matches(kind: sources[Int(entries[$0].source)].kind, id: id(of: $0)) }
    }

    /// The first entry of a kind and id, in any scope, that `isWanted`.
    private func first(_ key: IDKey, where isWanted: (Int) -> Bool) -> Int? {
        var at = first(key)
        while let candidate = at {
            if isWanted(candidate) { return candidate }
            at = nextWithSameID[candidate]
        }
        return nil
    }

    public var count: Int { entries.count }

    /// The id of entry `at`.
    public func id(of at: Int) -> RecordID {
        idLists[Int(entries[at].idList)][Int(entries[at].idPlace)]
    }

    /// The record a 201 (or an earlier verification) tied to entry `at`, if any and if kept.
    public func recordID(of at: Int) -> String? {
        guard recordIDsKept else { return nil }
        let place = recordIDPlaces[at]
        guard place.list >= 0 else { return nil }
        return recordIDLists[Int(place.list)][Int(place.place)]
    }

    /// Marks in `marks` the entries that `records`, part of a listing of the queue, show, keeping the
    /// record id shown only where `reconcile` journals it as found: an entry no record is tied to, that
    /// the baseline (when one was taken) did not hold.
    public func mark(_ records: some Sequence<QueueRecord>, in marks: inout QueueMarks) {
        for record in records {
            // One record for each scope the id was delivered in: the listing does not say which.
            guard let kind = record.kind, let bytes = record.sourceID,
                let at = first(IDKey(kind: kind, bytes: bytes), where: { !marks.isListed($0) })
            else { continue }
            marks.mark(at, recordID: needsListedRecordID(entries[at]) ? record.recordID : nil)
        }
    }

    /// Whether a listing settles `entry` as created by this import through the record id it shows.
    private func needsListedRecordID(_ entry: Entry) -> Bool {
        !entry.isConfirmed && !entry.inBaseline && baselineTaken
    }

    /// The entry of a kind and id in one scope.
    public func position(of key: IDKey, scope: Scope) -> Int? {
        first(key) { sources[Int(entries[$0].source)].scope == scope }
    }

    /// Whether some delivered id has no record tied to it, so that only a listing settles it.
    public var hasUnconfirmed: Bool { entries.contains { !$0.isConfirmed } }

    /// The records this import created (a 201 or a verification tied them to it), for undo.
    public var createdRecordIDs: [String] {
        precondition(recordIDsKept, "the journal was replayed without its record ids")
        return entries.indices.compactMap { entries[$0].inBaseline ? nil : recordID(of: $0) } + unnamedRecordIDs
    }

    /// Settles every id. `inQueue` is what a listing found, or nil when the queue was not listed.
    public func reconcile(inQueue: QueueMarks?) -> Reconciliation {
        var result = Reconciliation()
        result.listed = inQueue != nil
        result.delivered = self
        result.classes.reserveCapacity(entries.count)
        for (at, entry) in entries.enumerated() {
            let source = sources[Int(entry.source)]
            var counts = ReconciliationCounts()
            var missing = false
            if let inQueue {
                if inQueue.isListed(at) {
                    if entry.isConfirmed && !entry.inBaseline {
                        counts.created = 1
                    } else if entry.inBaseline || !baselineTaken {
                        counts.alreadyPresent = 1
                    } else {
                        counts.created = 1
                        // `mark` kept the record id the listing showed (`needsListedRecordID`).
                        result.newlyFound.append(
                            JournalMatches.Match(
                                kind: source.kind, id: id(of: at).text, recordID: inQueue.recordID(of: at) ?? ""))
                    }
                } else {
                    counts.notFound = 1
                    missing = true
                }
            } else if entry.isConfirmed {
                counts.created = 1
            } else {
                counts.unconfirmed = 1
            }
            result.classes.append(Reconciliation.classCode(of: counts))
            if missing {
                result.missing.append(
                    Reconciliation.Missing(
                        kind: source.kind, scope: source.scope, window: source.window, id: id(of: at),
                        wasCreated: entry.isConfirmed && !entry.inBaseline))
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
