import AQTestServer
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("De-duplication per queue")
struct DeduplicationTests {
    typealias F = Fixtures

    @Test("201 with the created records, then 200 with [] for the same request")
    func createdThenOK() async throws {
        let server = try TestServer()
        try await server.makeApplication().test(.router) { client async throws in
            let body = F.request(F.span(["a", "b", "c"]))
            let first = try await F.post(client, body)
            #expect(first.status == .created)
            #expect(try (F.object(first.body)["record_sources"] as? [Any])?.count == 3)
            let second = try await F.post(client, body)
            #expect(second.status == .ok)
            #expect(second.headers[.contentType] == "application/json")
            #expect(String(buffer: second.body) == #"{"record_sources":[]}"#)
        }
        let stats = server.control.stats()
        #expect(stats.recordsStored[F.queueID] == 3)
        #expect(stats.duplicateIDsReceived == 3)
    }

    @Test("a partly new request gets 201 with only the new records")
    func onlyNewRecords() async throws {
        try await Fixtures.withRouter { client async throws in
            try await F.post(client, F.request(F.span(["a", "b"])))
            let response = try await F.post(client, F.request(F.span(["b", "c", "c"]), F.example(["a"])))
            #expect(response.status == .created)
            let records = try #require(try F.object(response.body)["record_sources"] as? [[String: Any]])
            let data = records.compactMap { $0["data"] as? [String: String] }
            #expect(data == [["context.span_id": "c"], ["id": "a"]])
        }
    }

    @Test("the same id in another project, kind or queue is a different record")
    func keyedByKindScopeAndQueue() async throws {
        var configuration = TestServerConfiguration()
        configuration.queues.append(
            .init(id: "QW5ub3RhdGlvblF1ZXVlOjI6b3RoZXI=", name: "other", spaceID: "U3BhY2U6MTpkZW1v"))
        let server = try TestServer(configuration: configuration)
        try await server.makeApplication().test(.router) { client async throws in
            #expect(try await F.post(client, F.request(F.span(["x"]))).status == .created)
            #expect(try await F.post(client, F.request(F.project("TRACE", ["x"]))).status == .created)
            #expect(
                try await F.post(client, F.request(F.project("SPAN", ["x"], project: "UHJvamVjdDoy"))).status
                    == .created)
            let other = "/v2/annotation-queues/QW5ub3RhdGlvblF1ZXVlOjI6b3RoZXI%3D/records"
            #expect(try await F.post(client, F.request(F.span(["x"])), path: other).status == .created)
            #expect(try await F.post(client, F.request(F.span(["x"])), path: other).status == .ok)
        }
        #expect(server.control.storedIDs(queueID: F.queueID) == ["x", "x", "x"])
        #expect(server.control.stats().recordsStored["QW5ub3RhdGlvblF1ZXVlOjI6b3RoZXI="] == 1)
    }
}
