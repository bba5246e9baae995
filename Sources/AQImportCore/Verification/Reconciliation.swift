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
