import AQTestServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Control endpoints")
struct ControlEndpointTests {
    typealias F = Fixtures

    static func stats(_ client: some TestClientProtocol) async throws -> TestServerStats {
        let response = try await client.execute(uri: "/_control/stats", method: .get)
        #expect(response.status == .ok)
        return try JSONDecoder().decode(TestServerStats.self, from: Data(response.body.readableBytesView))
    }

    @Test("GET /_control/stats counts statuses, stored records and duplicates; POST /_control/reset empties them")
    func statsAndReset() async throws {
        try await Fixtures.withRouter { client async throws in
            try await F.post(client, F.request(F.span(["a", "b"])))
            try await F.post(client, F.request(F.span(["b"])))
            try await F.post(client, F.request(F.span([])))
            try await F.post(client, "{}", headers: [:])
            let stats = try await Self.stats(client)
            #expect(stats.requestsByStatus == ["201": 1, "200": 1, "422": 1, "401": 1])
            #expect(stats.requestsTotal == 4)
            #expect(stats.recordsStored == [F.queueID: 2])
            #expect(stats.recordsStoredTotal == 2)
            #expect(stats.duplicateIDsReceived == 1)
            #expect(stats.peakConcurrent == 1)
            #expect(stats.inFlight == 0)
            #expect(stats.faultsInjected.isEmpty)

            let reset = try await client.execute(uri: "/_control/reset", method: .post)
            #expect(reset.status == .noContent)
            let after = try await Self.stats(client)
            #expect(after.requestsTotal == 0)
            #expect(after.recordsStored == [F.queueID: 0])
            let records = try await F.get(client, F.recordsPath)
            #expect(try (F.object(records.body)["records"] as? [Any])?.isEmpty == true)
            #expect(try await F.post(client, F.request(F.span(["a"]))).status == .created)
        }
    }

    @Test("POST /_control/faults changes only what it names and answers the new settings")
    func changeFaults() async throws {
        let server = try TestServer()
        try await server.makeApplication().test(.router) { client async throws in
            let body =
                #"{"fault":"429=0.25,reset=0.5","retry_after":"http-date","latency_ms":"5,2","max_concurrent":4}"#
            let response = try await client.execute(
                uri: "/_control/faults", method: .post, body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            let answer = try F.object(response.body)
            #expect(answer["fault"] as? String == "429=0.25,reset=0.5")
            #expect(answer["retry_after"] as? String == "http-date")
            #expect(answer["latency_ms"] as? String == "5,2")
            #expect(answer["rate_limit"] is NSNull)
            #expect(answer["max_concurrent"] as? Int == 4)

            let second = try await client.execute(
                uri: "/_control/faults", method: .post,
                body: ByteBuffer(string: #"{"rate_limit":10,"latency_ms":null}"#))
            #expect(second.status == .ok)
            let current = try await client.execute(uri: "/_control/faults", method: .get)
            let settings = try F.object(current.body)
            #expect(settings["fault"] as? String == "429=0.25,reset=0.5")
            #expect(settings["rate_limit"] as? Int == 10)
            #expect(settings["latency_ms"] is NSNull)
        }
        #expect(server.control.faults.probabilities == [.tooManyRequests: 0.25, .reset: 0.5])
        #expect(server.control.faults.retryAfter == .httpDate(afterSeconds: 1))
    }

    @Test(
        "POST /_control/faults answers 400 for nonsense",
        arguments: [
            #"{"fault":"418=0.5"}"#, #"{"fault":"429=0.7,500=0.7"}"#, #"{"retry_after":"soon"}"#,
            #"{"rate_limit":"fast"}"#,
            #"{"chaos":true}"#, "not json",
        ])
    func badFaults(_ body: String) async throws {
        try await Fixtures.withRouter { client async throws in
            let response = try await client.execute(
                uri: "/_control/faults", method: .post, body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
            #expect(response.headers[.contentType] == "application/problem+json")
        }
    }
}
