import Foundation
import Testing

@testable import AQImportCore

@Suite struct QueueTailFollowerTests {
    /// A queue that a test fills, listed by an offset cursor the way the double lists (oldest first),
    /// or newest first; with an optional failure on one call.
    final class FillingQueue: Sendable {
        let records = Locked<[QueueRecord]>([])
        let newestFirst: Bool
        let failingCall: Int?

        init(newestFirst: Bool = false, failingCall: Int? = nil) {
            self.newestFirst = newestFirst
            self.failingCall = failingCall
        }

        func add(_ count: Int) {
            records.withLock { records in
                let start = records.count
                for n in start..<start + count {
                    records.append(
                        QueueRecord(recordID: "r\(n)", kind: .span, sourceID: Array(String(format: "%016x", n).utf8)))
                }
            }
        }

        func answer(_ request: HTTPRequest, _ index: Int) -> HTTPResponse {
            if index == failingCall { return FakeTransport.problem(400, "bad cursor") }
            let query = URLComponents(string: request.url)!.queryItems ?? []
            let limit = Int(query.first { $0.name == "limit" }?.value ?? "50")!
            let offset = Int(query.first { $0.name == "cursor" }?.value ?? "0")!
            let all = records.withLock { newestFirst ? $0.reversed() : $0 }
            let page = all[min(offset, all.count)..<min(offset + limit, all.count)]
            let items = page.map { record in
                #"{"id":"\#(record.recordID)","granularity":"SPAN","data":{"context.span_id":"\#(String(decoding: record.sourceID!, as: UTF8.self))"}}"#
            }
            let more = offset + limit < all.count
            let pagination = more ? #"{"has_more":true,"next_cursor":"\#(offset + limit)"}"# : #"{"has_more":false}"#
            return RemoteReaderTests.ok(#"{"records":[\#(items.joined(separator: ","))],"pagination":\#(pagination)}"#)
        }
    }

    static func follower(_ queue: FillingQueue) -> (QueueTailFollower, FakeTransport) {
        let transport = FakeTransport { request, index in queue.answer(request, index) }
        let listing = QueueListing(reader: RemoteReaderTests.reader(transport), queueID: "q")
        return (QueueTailFollower(listing: listing), transport)
    }

    /// Fills `queue` in `steps` steps of `size` records, telling the follower after each, then ends.
    static func deliver(_ queue: FillingQueue, to follower: QueueTailFollower, steps: Int, size: Int) async {
        for _ in 0..<steps {
            queue.add(size)
            await follower.added(size)
            // Give the follower a chance to read, as the time between real answers does.
            for _ in 0..<20 { await Task.yield() }
        }
        await follower.deliveryHasEnded()
    }

    @Test func aQueueFilledDuringDeliveryIsListedOnceInOrder() async throws {
        let queue = FillingQueue()
        queue.add(120)  // already there before the import
        let (follower, transport) = Self.follower(queue)
        let following = Task { await follower.follow() }
        await Self.deliver(queue, to: follower, steps: 9, size: 500)
        let records = try #require(await following.value)
        let expected: [String] = (0..<4620).map { "r\($0)" }
        #expect(records.map(\.recordID) == expected)
        // Each read either ends a full page or follows a delivery step: never a poll in a loop.
        let fullPages = 4620 / 500
        let calls = transport.calls.count
        #expect(calls <= fullPages + 1 + 9 + 1)
        let pages = await follower.pages
        #expect(pages == calls)
    }

    @Test func theLastReadBeginsAfterDeliveryEnded() async throws {
        // Records that arrive in small steps never fill the tail page: only the end triggers a read,
        // and that read sees all of them.
        let queue = FillingQueue()
        let (follower, transport) = Self.follower(queue)
        let following = Task { await follower.follow() }
        for _ in 0..<7 {
            queue.add(3)
            await follower.added(3)
        }
        await follower.deliveryHasEnded()
        let records = try #require(await following.value)
        #expect(records.count == 21)
        #expect(transport.calls.count <= 2)
    }

    @Test func aFullLastPageIsNotReadAgainUntilRecordsAreAdded() async throws {
        // 500 records: the tail page is full and says has_more false. Reading it again before the
        // delivery adds anything could only show the same page.
        let queue = FillingQueue()
        queue.add(500)
        let (follower, transport) = Self.follower(queue)
        let following = Task { await follower.follow() }
        while transport.calls.isEmpty { await Task.yield() }
        for _ in 0..<500 { await Task.yield() }
        #expect(transport.calls.count == 1)
        await Self.deliver(queue, to: follower, steps: 1, size: 1)
        let records = try #require(await following.value)
        #expect(records.count == 501)
    }

    @Test func aListingInAnotherOrderIsNotFollowed() async {
        let queue = FillingQueue(newestFirst: true)
        queue.add(10)
        let (follower, transport) = Self.follower(queue)
        let following = Task { await follower.follow() }
        // The first page must be read before the queue grows: read only after it, a listing newest
        // first looks like any other (it flaked so under load).
        while transport.calls.isEmpty { await Task.yield() }
        await Self.deliver(queue, to: follower, steps: 2, size: 500)
        #expect(await following.value == nil)
    }

    @Test func aFailedReadGivesUp() async {
        let queue = FillingQueue(failingCall: 1)
        let (follower, _) = Self.follower(queue)
        let following = Task { await follower.follow() }
        await Self.deliver(queue, to: follower, steps: 3, size: 500)
        #expect(await following.value == nil)
    }

    @Test func anAbandonedFollowReturnsNothing() async {
        let queue = FillingQueue()
        let (follower, _) = Self.follower(queue)
        let following = Task { await follower.follow() }
        queue.add(10)
        await follower.added(10)
        await follower.abandon()
        #expect(await following.value == nil)
    }

    // MARK: The verifier

    /// Reconciles 3 delivered ids, all in the queue, given what a follower saw of it (`seen` of its
    /// records); returns the result and the GETs the verifier made.
    static func reconcile(seen: Int) async throws -> (Reconciliation, calls: Int) {
        let queue = FillingQueue()
        queue.add(3)
        let transport = FakeTransport { request, index in queue.answer(request, index) }
        let verifier = Verifier(listing: QueueListing(reader: RemoteReaderTests.reader(transport), queueID: "q"))
        let ids = (0..<3).map { String(format: "%016x", $0) }
        let created = ids.enumerated().map { offset, id in
            QueueRecord(recordID: "r\(offset)", kind: .span, sourceID: Array(id.utf8))
        }
        let state = ReconciliationTests.state(ReconciliationTests.request(ids), created: created, baseline: [])
        let followed = Array(queue.records.withLock { $0 }.prefix(seen))
        let result = try await verifier.reconcile(state, mode: .always, followed: QueueRecordList(followed))
        return (result, transport.calls.count)
    }

    @Test func whatTheFollowerSawStandsForTheListingWhenItShowsEveryID() async throws {
        let (result, calls) = try await Self.reconcile(seen: 3)
        #expect(calls == 0)
        #expect(result.listed)
        #expect(result.followed)
        #expect(result.queuedRecords == 3)
        #expect(result.perKind[.span] == ReconciliationCounts(created: 3))
    }

    @Test func anIDTheFollowerDidNotSeeIsSettledByAWholeListing() async throws {
        let (result, calls) = try await Self.reconcile(seen: 2)
        #expect(calls == 1)
        #expect(!result.followed)
        #expect(result.perKind[.span] == ReconciliationCounts(created: 3))
        #expect(result.missing.isEmpty)
    }
}
