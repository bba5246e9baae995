import Foundation
import Logging
import Testing

@testable import AQImportCore

@Suite struct RemoteReaderTests {
    static let key = "ak-READ-0123456789"

    static func reader(
        _ transport: FakeTransport, configuration: SenderConfiguration = SenderConfiguration(),
        clock: TestClock = TestClock(), endpoint: Endpoint = Endpoint()
    ) -> RemoteReader {
        RemoteReader(
            transport: transport, endpoint: endpoint,
            credential: APICredential(key: key, source: .environment(variable: "ARIZE_API_KEY")),
            configuration: configuration, clock: clock, wallClock: { Timestamp(secondsSinceEpoch: 1_000_000) },
            random: SplitMix64(seed: 7), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    static func ok(_ json: String) -> HTTPResponse {
        HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: Array(json.utf8))
    }

    @Test func aGetCarriesTheKeyAndAQueryAndNoBody() async throws {
        let transport = FakeTransport { _, _ in Self.ok("{}") }
        let body = try await Self.reader(transport).body(
            .get(APIPath.queue("QQ==") + "/records", query: [("limit", "500"), ("cursor", "a b=")]))
        #expect(body == Array("{}".utf8))
        let call = try #require(transport.calls.first)
        #expect(call.method == "GET")
        #expect(call.url == "https://api.arize.com/v2/annotation-queues/QQ%3D%3D/records?limit=500&cursor=a%20b%3D")
        #expect(call.header("Authorization") == "Bearer \(Self.key)")
        #expect(call.header("Accept") == "application/json")
        #expect(call.header("Content-Type") == nil)
        #expect(call.body.isEmpty)
    }

    @Test func aPostQuerySendsItsJSONBody() async throws {
        let transport = FakeTransport { _, _ in Self.ok(#"{"spans":[]}"#) }
        let json = Array(#"{"project_id":"p"}"#.utf8)
        _ = try await Self.reader(transport).body(.post("/v2/spans", query: [("limit", "20")], json: json))
        let call = try #require(transport.calls.first)
        #expect(call.method == "POST")
        #expect(call.url == "https://api.arize.com/v2/spans?limit=20")
        #expect(call.header("Content-Type") == "application/json")
        #expect(call.body == json)
    }

    @Test func a429IsRetriedAfterItsRetryAfterAndDoesNotUseUpAttempts() async throws {
        let clock = TestClock()
        // Five 429s with two attempts allowed: 429s are pacing, not failures.
        let transport = FakeTransport { _, index in
            index < 5 ? FakeTransport.problem(429, "slow down", headers: [("Retry-After", "3")]) : Self.ok("{}")
        }
        let reader = Self.reader(transport, configuration: SenderConfiguration(maxAttempts: 2), clock: clock)
        _ = try await reader.body(.get("/v2/spans"))
        #expect(transport.calls.count == 6)
        #expect(clock.sleeps == Array(repeating: .seconds(3), count: 5))
        #expect(reader.counters.throttled == 5)
        #expect(reader.counters.retries == 5)
        #expect(reader.counters.reads == 1)
        #expect(reader.counters.attempts == 6)
    }

    @Test func a429WithoutRetryAfterBacksOffWithinTheCap() async throws {
        let clock = TestClock()
        let transport = FakeTransport { _, index in index < 3 ? FakeTransport.problem(429, "slow") : Self.ok("{}") }
        let reader = Self.reader(
            transport, configuration: SenderConfiguration(maxBackoff: .seconds(1)), clock: clock)
        _ = try await reader.body(.get("/v2/spans"))
        #expect(clock.sleeps.count == 3)
        #expect(clock.sleeps.allSatisfy { $0 <= .seconds(1) })
    }

    @Test(arguments: [
        Result<HTTPResponse, TransportError>.success(FakeTransport.problem(500, "boom")),
        .success(FakeTransport.problem(503, "unavailable")),
        .failure(.connectionReset("reset by peer")),
        .failure(.timedOut("60 s")),
        .failure(.noResponse("closed")),
    ])
    func transientFailuresAreRetried(_ failure: Result<HTTPResponse, TransportError>) async throws {
        let clock = TestClock()
        let transport = FakeTransport(responses: [failure, failure, .success(Self.ok(#"{"ok":1}"#))])
        let reader = Self.reader(transport, clock: clock)
        let body = try await reader.body(.get("/v2/datasets/RA==/examples"))
        #expect(body == Array(#"{"ok":1}"#.utf8))
        #expect(transport.calls.count == 3)
        #expect(clock.sleeps.count == 2)
        #expect(reader.counters.retries == 2)
    }

    @Test func whenAttemptsRunOutTheLastAnswerIsAnError() async throws {
        let transport = FakeTransport { _, _ in FakeTransport.problem(502, "bad gateway") }
        let reader = Self.reader(transport, configuration: SenderConfiguration(maxAttempts: 3))
        await #expect(throws: RemoteError.http(status: 502, request: "GET /v2/spaces", detail: "bad gateway")) {
            _ = try await reader.body(.get("/v2/spaces"))
        }
        #expect(transport.calls.count == 3)
        let response = try await reader.response(.get("/v2/spaces"))
        #expect(response.status == 502)
    }

    @Test func aTransportFailureThatOutlastsTheAttemptsIsThrown() async throws {
        let transport = FakeTransport { _, _ in throw TransportError.connectionFailed("refused") }
        let reader = Self.reader(transport, configuration: SenderConfiguration(maxAttempts: 2))
        await #expect(throws: RemoteError.transport(.connectionFailed("refused"))) {
            _ = try await reader.body(.get("/v2/spaces"))
        }
        #expect(transport.calls.count == 2)
        #expect(reader.counters.transportErrors == 2)
    }

    @Test func unauthorizedIsNotRetriedAndNamesTheKeySource() async throws {
        let transport = FakeTransport { _, _ in FakeTransport.problem(401, "invalid credentials") }
        let reader = Self.reader(transport)
        do {
            _ = try await reader.body(.get("/v2/spans"))
            Issue.record("expected an error")
        } catch {
            #expect(
                error
                    == .unauthorized(
                        status: 401, keySource: "the environment variable ARIZE_API_KEY", detail: "invalid credentials")
            )
            #expect(!(error.errorDescription ?? "").contains(Self.key))
        }
        #expect(transport.calls.count == 1)
    }

    @Test func readsArePacedByTheRate() async throws {
        let clock = TestClock()
        let transport = FakeTransport { _, _ in Self.ok("{}") }
        let reader = Self.reader(transport, configuration: SenderConfiguration(rate: 4), clock: clock)
        for _ in 0..<3 { _ = try await reader.body(.get("/v2/spans")) }
        #expect(clock.sleeps == [.milliseconds(250), .milliseconds(250)])
    }

    @Test func concurrentReadsStayWithinTheConcurrency() async throws {
        let transport = FakeTransport { _, _ in
            for _ in 0..<50 { await Task.yield() }
            return Self.ok("{}")
        }
        let reader = Self.reader(transport, configuration: SenderConfiguration(concurrency: 2))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<12 { group.addTask { _ = try await reader.body(.get("/v2/spans")) } }
            try await group.waitForAll()
        }
        #expect(transport.calls.count == 12)
        #expect(transport.maxInFlight <= 2)
        #expect(reader.counters.reads == 12)
    }

    @Test func throttlingLowersReadsInFlightAsForDeliveries() async throws {
        // As the sender does: 8 reads out, all 429: the limit halves once for them, to 4; their 4
        // retries get 429: 2; then 1. From then on one read at a time, with 8 still under way. Undo's
        // DELETEs and the listings go through the same reader.
        let transport = FakeTransport { _, index in
            for _ in 0..<5 { await Task.yield() }
            return index < 14 ? FakeTransport.problem(429, "slow down") : Self.ok("{}")
        }
        let reader = Self.reader(
            transport, configuration: SenderConfiguration(concurrency: 8, successesPerConcurrencyIncrease: 1000))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { _ = try await reader.body(.get("/v2/spans")) } }
            try await group.waitForAll()
        }
        #expect(reader.concurrencyLimit == 1)
        #expect(transport.inFlightAtStart.dropFirst(14).allSatisfy { $0 == 1 })
        #expect(reader.counters.throttled == 14)
    }

    @Test func successesRaiseTheReadLimitBackToTheConcurrency() async throws {
        let transport = FakeTransport { _, index in
            index < 2 ? FakeTransport.problem(429, "slow down") : Self.ok("{}")
        }
        let reader = Self.reader(
            transport, configuration: SenderConfiguration(concurrency: 4, successesPerConcurrencyIncrease: 1))
        // Two 429s halve 4 to 2 and 2 to 1; the read's success adds one back.
        _ = try await reader.body(.get("/v2/spans"))
        #expect(reader.concurrencyLimit == 2)
        for _ in 0..<2 { _ = try await reader.body(.get("/v2/spans")) }
        #expect(reader.concurrencyLimit == 4)
    }

    @Test func plainHTTPToAnotherHostIsRefusedBeforeAnyCall() async throws {
        let transport = FakeTransport { _, _ in Self.ok("{}") }
        let reader = Self.reader(transport, endpoint: Endpoint(scheme: "http", host: "api.example.com"))
        await #expect(throws: RemoteError.self) { _ = try await reader.body(.get("/v2/spans")) }
        #expect(transport.calls.isEmpty)
    }

    // MARK: Paging

    struct Item: Decodable, Sendable, Equatable {
        var id: String
    }

    /// Pages of three items from `items`, the cursor being the next offset.
    static func pagedTransport(_ items: [String], itemsKey: String = "records", endWith hasMoreFalse: Bool = false)
        -> FakeTransport
    {
        FakeTransport { request, _ in
            let url = URLComponents(string: request.url)!
            let cursor = url.queryItems?.first { $0.name == "cursor" }?.value.flatMap(Int.init) ?? 0
            let slice = items[min(cursor, items.count)..<min(cursor + 3, items.count)]
            let more = cursor + 3 < items.count
            let entries = slice.map { #"{"id":"\#($0)"}"# }.joined(separator: ",")
            let pagination =
                more
                ? #"{"has_more":true,"next_cursor":"\#(cursor + 3)"}"#
                : (hasMoreFalse ? #"{"has_more":false,"next_cursor":"stale"}"# : #"{"has_more":false}"#)
            return Self.ok(#"{"\#(itemsKey)":[\#(entries)],"pagination":\#(pagination)}"#)
        }
    }

    @Test func pagingFollowsTheCursorToTheEnd() async throws {
        let ids = (1...8).map { "r\($0)" }
        let transport = Self.pagedTransport(ids, endWith: true)
        var seen: [String] = []
        let complete = try await Self.reader(transport).forEachPage(
            .get("/v2/annotation-queues/QQ%3D%3D/records"), itemsKey: "records", limit: 3
        ) { (items: [Item]) in
            seen += items.map(\.id)
            return true
        }
        #expect(complete)
        #expect(seen == ids)
        #expect(
            transport.calls.map(\.url) == [
                "https://api.arize.com/v2/annotation-queues/QQ%3D%3D/records?limit=3",
                "https://api.arize.com/v2/annotation-queues/QQ%3D%3D/records?limit=3&cursor=3",
                "https://api.arize.com/v2/annotation-queues/QQ%3D%3D/records?limit=3&cursor=6",
            ])
    }

    @Test func pagingStopsWhenTheHandlerSaysSo() async throws {
        let transport = Self.pagedTransport((1...20).map { "r\($0)" })
        var pages = 0
        let complete = try await Self.reader(transport).forEachPage(
            .post("/v2/spans", json: Array("{}".utf8)), itemsKey: "records", limit: 3
        ) { (_: [Item]) in
            pages += 1
            return pages < 2
        }
        #expect(!complete)
        #expect(transport.calls.count == 2)
        #expect(transport.calls.allSatisfy { $0.method == "POST" && $0.body == Array("{}".utf8) })
    }

    @Test func pagingStopsAfterMaxPagesAgainstAnEndlessCursor() async throws {
        let transport = FakeTransport { _, _ in
            Self.ok(#"{"spans":[{"id":"x"}],"pagination":{"has_more":true,"next_cursor":"again"}}"#)
        }
        let complete = try await Self.reader(transport).forEachPage(
            .post("/v2/spans", json: Array("{}".utf8)), itemsKey: "spans", limit: 1, maxPages: 4
        ) { (_: [Item]) in true }
        #expect(!complete)
        #expect(transport.calls.count == 4)
    }

    @Test func aPageWithoutItsItemsIsAMalformedAnswer() async throws {
        let transport = FakeTransport { _, _ in Self.ok(#"{"other":[]}"#) }
        await #expect(throws: RemoteError.malformedResponse(request: "GET /v2/spans", reason: "no spans field")) {
            try await Self.reader(transport).forEachPage(.get("/v2/spans"), itemsKey: "spans", limit: 1) {
                (_: [Item]) in true
            }
        }
    }
}
