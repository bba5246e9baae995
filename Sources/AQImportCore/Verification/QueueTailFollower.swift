/// Lists the queue while the import delivers, so that `--verify always` does not pay for a whole
/// listing after the last request: the listing's pages are read one after another as the queue fills,
/// and once delivery has ended only the pages after the last one read remain.
///
/// The API does not say in what order a listing runs, nor what a cursor means once the listing has
/// reached its end. The follower reads the tail page again (the cursor that fetched it, or none for the
/// first page) and goes on only when that page begins with exactly the records it showed before, in
/// the same order: the queue then lists in the order records were added. Anything else (another
/// order, a record deleted meanwhile, an error) makes it give up, and the verifier lists the whole
/// queue after delivery as it would without a follower. What the follower saw is only ever used to
/// find ids: an id it did not see is settled by a whole listing, never called missing on its word.
public actor QueueTailFollower {
    public let listing: QueueListing
    /// Every record the listing showed, each once, in listing order.
    private var records = QueueRecordList()
    /// Records added to the queue by the delivery since the tail page was last read.
    private var addedSinceRead = 0
    private var deliveryEnded = false
    private var abandoned = false
    private var wakeUp: CheckedContinuation<Void, Never>?
    private var pagesRead = 0

    /// `expectedRecords`: about how many records the queue will list (the plan's), reserved up front.
    public init(listing: QueueListing, expectedRecords: Int = 0) {
        self.listing = listing
        records.reserveCapacity(expectedRecords)
    }

    /// How many GETs the follower made.
    public var pages: Int { pagesRead }

    /// The delivery added `created` records to the queue.
    public func added(_ created: Int) {
        guard created > 0 else { return }
        addedSinceRead += created
        resume()
    }

    /// The delivery has ended: the next read of the tail is the last one.
    public func deliveryHasEnded() {
        deliveryEnded = true
        resume()
    }

    private func resume() {
        wakeUp?.resume()
        wakeUp = nil
    }

    /// Follows the listing until delivery has ended and a read that began after it reached the end.
    /// Returns every record of the queue, or nil when the listing could not be followed.
    public func follow() async -> QueueRecordList? {
        var cursor: String?
        // The record ids already taken from the page that `cursor` fetches.
        var taken: [String] = []
        while true {
            if abandoned { return nil }
            let last = deliveryEnded
            // Records added while this read is under way count toward the next one.
            addedSinceRead = 0
            let page: RemotePage<QueueRecord>
            do {
                page = try await listing.reader.page(
                    RemoteRead.get(APIPath.records(queueID: listing.queueID)), itemsKey: "records",
                    limit: QueueListing.pageSize, cursor: cursor)
            } catch {
                return nil
            }
            pagesRead += 1
            guard page.items.count >= taken.count,
                zip(taken, page.items).allSatisfy({ $0 == $1.recordID })
            else { return nil }
            records.append(contentsOf: page.items.dropFirst(taken.count))
            if let next = page.nextCursor {
                cursor = next
                taken = []
                continue
            }
            if last { return records }
            taken = page.items.map(\.recordID)
            // Read the tail again once it can fill the page (a full one: once anything was added), or
            // when delivery ends.
            while !deliveryEnded && addedSinceRead < max(1, QueueListing.pageSize - taken.count) {
                if abandoned { return nil }
                await withCheckedContinuation { wakeUp = $0 }
            }
        }
    }

    /// Ends a follow that is no longer wanted (delivery did not complete): `follow` returns nil.
    public func abandon() {
        abandoned = true
        resume()
    }
}
