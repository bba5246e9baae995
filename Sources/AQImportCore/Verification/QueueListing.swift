/// Every record of a queue, page by page (`GET .../records?limit=500`), through the retried and
/// rate-limited reader: one GET per 500 queued records.
public struct QueueListing: Sendable {
    public static let pageSize = 500

    public let reader: RemoteReader
    public let queueID: String

    public init(reader: RemoteReader, queueID: String) {
        self.reader = reader
        self.queueID = queueID
    }

    /// Calls `handle` with each page's records; returns how many records the queue holds.
    @discardableResult
    public func forEachPage(_ handle: ([QueueRecord]) -> Void) async throws(RemoteError) -> Int {
        var total = 0
        try await reader.forEachPage(
            RemoteRead.get(APIPath.records(queueID: queueID)), itemsKey: "records", limit: Self.pageSize
        ) { (records: [QueueRecord]) -> Bool in
            total += records.count
            handle(records)
            return true
        }
        return total
    }

    /// Lists the queue and marks which of `delivered` it holds, with the record id it shows for each.
    public func find(_ delivered: DeliveredIDs) async throws(RemoteError) -> (inQueue: QueueMarks, records: Int) {
        var inQueue = QueueMarks(count: delivered.count)
        let records = try await forEachPage { page in delivered.mark(page, in: &inQueue) }
        return (inQueue, records)
    }
}
