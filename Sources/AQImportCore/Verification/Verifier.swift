import Foundation

/// Lists the queue to take the baseline before an import's first request, and to settle every
/// delivered id after it (in the import, or later with `aq-import verify`).
public struct Verifier: Sendable {
    public let listing: QueueListing

    public init(listing: QueueListing) {
        self.listing = listing
    }

    /// The planned ids the queue holds now, and how many records it holds. The plan's ids are keyed
    /// only once the queue turns out to hold anything.
    public func baseline(of plan: Plan) async throws(RemoteError) -> (matches: [JournalMatches.Match], records: Int) {
        var planned: Set<IDKey>?
        var matches: [JournalMatches.Match] = []
        let records = try await listing.forEachPage { page in
            guard !page.isEmpty else { return }
            if planned == nil {
                var keys = Set<IDKey>()
                for request in plan.requests {
                    for source in request.sources {
                        for id in source.ids { keys.insert(IDKey(kind: source.kind, id: id)) }
                    }
                }
                planned = keys
            }
            for record in page {
                guard let kind = record.kind, let bytes = record.sourceID,
                    planned!.contains(IDKey(kind: kind, bytes: bytes))
                else { continue }
                matches.append(
                    JournalMatches.Match(
                        kind: kind, id: String(decoding: bytes, as: UTF8.self), recordID: record.recordID))
            }
        }
        return (matches, records)
    }

    /// Settles every delivered id of `state`; lists the queue unless `mode` says not to (`auto`: only
    /// when some id was not confirmed by a 201). `followed`, the records a `QueueTailFollower` saw
    /// during delivery, stands for the listing when it shows every delivered id; otherwise the whole
    /// queue is listed.
    public func reconcile(_ state: JournalState, mode: VerifyMode, followed: QueueRecordList? = nil)
        async throws(RemoteError) -> Reconciliation
    {
        let delivered = DeliveredIDs(state: state)
        let list = mode == .always || (mode == .auto && delivered.hasUnconfirmed)
        guard list else { return delivered.reconcile(inQueue: nil) }
        if let followed {
            var inQueue = QueueMarks(count: delivered.count)
            delivered.mark(followed, in: &inQueue)
            if inQueue.allListed {
                var result = delivered.reconcile(inQueue: inQueue)
                result.queuedRecords = followed.count
                result.followed = true
                return result
            }
        }
        let (inQueue, records) = try await listing.find(delivered)
        var result = delivered.reconcile(inQueue: inQueue)
        result.queuedRecords = records
        return result
    }
}
