import AQTestServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Faults on the search, listing and DELETE endpoints")
struct EndpointFaultTests {
    typealias F = Fixtures

    static let search =
        #"{"project_id":"\#(Fixtures.project)","start_time":"\#(Fixtures.start)","end_time":"\#(Fixtures.end)","filter":"context.span_id = 'a'"}"#
    static let controlRecordsPath = "/_control/queues/\(Fixtures.encodedQueueID)/records"

    /// (method, uri, body) of each endpoint beside POST records.
    static let endpoints: [(HTTPRequest.Method, String, String?)] = [
        (.post, "/v2/spans", search), (.post, "/v2/traces", search),
        (.get, "/v2/datasets/\(Fixtures.dataset)/examples", nil), (.get, Fixtures.recordsPath + "?limit=500", nil),
        (.delete, Fixtures.recordsPath, #"{"record_ids":["QW5ub3RhdGlvblF1ZXVlUmVjb3JkOjE="]}"#),
    ]

    @Test(
        "injected 429, 500 and 503 answer every endpoint",
        arguments: [(FaultKind.tooManyRequests, 429), (.internalServerError, 500), (.serviceUnavailable, 503)])
    func statusFaults(_ kind: FaultKind, _ status: Int) async throws {
        let server = try TestServer(
            configuration: TestServerConfiguration(faults: FaultSettings(probabilities: [kind: 1])))
        try await server.makeApplication().test(.router) { client async throws in
            for (method, uri, body) in Self.endpoints {
                let response = try await client.execute(
                    uri: uri, method: method, headers: F.headers, body: body.map { ByteBuffer(string: $0) })
                try F.expectProblem(response, status: status, rule: "injected-\(status)")
                #expect(response.headers[.retryAfter] == (status == 500 ? nil : "1"), "\(method) \(uri)")
            }
        }
        let stats = server.control.stats()
        #expect(stats.faultsInjected == [kind.rawValue: Self.endpoints.count])
        #expect(stats.readRequests == 4)
        #expect(stats.deleteRecordsRequests == 1)
        #expect(stats.addRecordsRequests == 0)
    }

    /// Seeds span "a" through the control route and returns its record id.
    static func seed(_ server: RunningTestServer) async throws -> String {
        let (outcome, response) = await LiveClient.send(
            server, uri: controlRecordsPath, body: F.request(F.span(["a"])))
        #expect(outcome == .status(201))
        let answer = try #require(response)
        let body = try F.object(try #require(answer.body))
        return try #require((body["record_sources"] as? [[String: Any]])?.first?["id"] as? String)
    }

    @Test("reset drops a DELETE before it deletes; lost-ack deletes, then closes; a repeat answers 204")
    func deleteUnderConnectionFaults() async throws {
        try await TestServer.withRunning(TestServerConfiguration(faults: FaultSettings(probabilities: [.reset: 1]))) {
            server async throws in
            let body = #"{"record_ids":["\#(try await Self.seed(server))"]}"#
            let (reset, _) = await LiveClient.send(server, method: .delete, body: body)
            #expect(reset == .closed)
            #expect(server.control.storedIDs(queueID: F.queueID) == ["a"])
            server.control.setFaults(FaultSettings(probabilities: [.lostAck: 1]))
            let (lost, _) = await LiveClient.send(server, method: .delete, body: body)
            #expect(lost == .closed)
            #expect(server.control.storedIDs(queueID: F.queueID) == [])
            server.control.setFaults(FaultSettings())
            let (again, _) = await LiveClient.send(server, method: .delete, body: body)
            #expect(again == .status(204))
            #expect(server.control.stats().requestsByStatus == ["reset": 1, "lost-ack": 1, "204": 1])
        }
    }

    @Test("reset and lost-ack close a search's connection")
    func searchUnderConnectionFaults() async throws {
        for kind in [FaultKind.reset, .lostAck] {
            try await TestServer.withRunning(TestServerConfiguration(faults: FaultSettings(probabilities: [kind: 1]))) {
                server async throws in
                let (outcome, _) = await LiveClient.send(server, uri: "/v2/spans", body: Self.search)
                #expect(outcome == .closed, "\(kind)")
                #expect(server.control.stats().readRequests == 1)
            }
        }
    }

    @Test("the rate limit refuses reads as it refuses POST records")
    func rateLimitedReads() async throws {
        let server = try TestServer(configuration: TestServerConfiguration(faults: FaultSettings(rateLimit: 2)))
        try await server.makeApplication().test(.router) { client async throws in
            var refused: TestResponse? = nil
            for _ in 0..<50 {
                let response = try await F.post(client, Self.search, path: "/v2/spans")
                if response.status == .tooManyRequests {
                    refused = response
                    break
                }
                #expect(response.status == .ok)
            }
            let response = try #require(refused)
            try F.expectProblem(response, status: 429, rule: "rate-limit")
            #expect(response.headers[.retryAfter] != nil)
        }
        #expect(server.control.stats().faultsInjected["rate-limit"] == 1)
    }
}
