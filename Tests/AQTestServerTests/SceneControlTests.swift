import AQTestServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Stats by operation, and the control calls that set a scene")
struct SceneControlTests {
    typealias F = Fixtures
    static let controlRecordsPath = "/_control/queues/\(Fixtures.encodedQueueID)/records"

    @Test("stats count POST records, DELETEs and reads apart, faulted and refused requests included")
    func statsByOperation() async throws {
        let server = try TestServer()
        try await server.makeApplication().test(.router) { client async throws in
            try await F.post(client, F.request(F.span(["a"])))
            try await F.post(client, F.request(F.span([])))
            _ = try await F.get(client, F.recordsPath)
            _ = try await F.get(client, "/v2/annotation-queues/\(F.encodedQueueID)")
            _ = try await client.execute(
                uri: F.recordsPath, method: .delete, headers: F.headers,
                body: ByteBuffer(string: #"{"record_ids":["x"]}"#))
            server.control.setFaults(FaultSettings(probabilities: [.serviceUnavailable: 1]))
            try await F.post(client, F.request(F.span(["b"])))
            _ = try await F.get(client, "/v2/spaces")
        }
        let stats = server.control.stats()
        #expect(stats.addRecordsRequests == 3)
        #expect(stats.deleteRecordsRequests == 1)
        #expect(stats.readRequests == 3)
        #expect(stats.requestsTotal == 7)
    }

    @Test("control calls seed, list and delete records without counting as requests")
    func seedListDelete() async throws {
        let server = try TestServer()
        try await server.makeApplication().test(.router) { client async throws in
            let seeded = try await client.execute(
                uri: Self.controlRecordsPath, method: .post, body: ByteBuffer(string: F.request(F.span(["a", "b"]))))
            #expect(seeded.status == .created)
            let ids = try #require(try F.object(seeded.body)["record_sources"] as? [[String: Any]]).compactMap {
                $0["id"] as? String
            }
            #expect(ids.count == 2)
            let imported = try await F.post(client, F.request(F.span(["a", "c"])))
            #expect(imported.status == .created)
            #expect(try #require(try F.object(imported.body)["record_sources"] as? [[String: Any]]).count == 1)

            let deleted = try await client.execute(
                uri: Self.controlRecordsPath, method: .delete,
                body: ByteBuffer(string: #"{"record_ids":["\#(ids[0])"]}"#))
            #expect(deleted.status == .noContent)
            let listed = try await client.execute(uri: Self.controlRecordsPath + "?limit=10", method: .get)
            let records = try #require(try F.object(listed.body)["records"] as? [[String: Any]])
            #expect(records.compactMap { ($0["data"] as? [String: String])?["context.span_id"] } == ["b", "c"])

            let bad = try await client.execute(
                uri: Self.controlRecordsPath, method: .post, body: ByteBuffer(string: F.request(F.span([]))))
            try F.expectProblem(bad, status: 422, rule: "list-limit")
            let unknown = try await client.execute(
                uri: "/_control/queues/bm9wZTox/records", method: .post,
                body: ByteBuffer(string: F.request(F.span(["a"]))))
            try F.expectProblem(unknown, status: 404, rule: "not-found")
        }
        let stats = server.control.stats()
        #expect(stats.requestsTotal == 1)
        #expect(stats.addRecordsRequests == 1)
        #expect(stats.deleteRecordsRequests == 0)
        #expect(stats.readRequests == 0)
        #expect(stats.duplicateIDsReceived == 1)
        #expect(server.control.storedIDs(queueID: F.queueID) == ["b", "c"])
    }

    @Test("control calls need no key and are never faulted")
    func controlIgnoresFaultsAndAuth() async throws {
        let configuration = TestServerConfiguration(faults: FaultSettings(probabilities: [.reset: 1]))
        try await TestServer.withRunning(configuration) { server async throws in
            let (outcome, _) = await LiveClient.send(
                server, uri: Self.controlRecordsPath, body: F.request(F.span(["a"])))
            #expect(outcome == .status(201))
            #expect(server.control.storedIDs(queueID: F.queueID) == ["a"])
        }
    }
}
