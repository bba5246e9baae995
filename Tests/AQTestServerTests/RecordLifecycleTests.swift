import AQTestServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Created records, the records listing and DELETE")
struct RecordLifecycleTests {
    typealias F = Fixtures

    static let otherQueueID = Data("AnnotationQueue:2:other".utf8).base64EncodedString()
    static var otherRecordsPath: String {
        "/v2/annotation-queues/\(otherQueueID.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)/records"
    }

    static var twoQueues: TestServerConfiguration {
        var configuration = TestServerConfiguration()
        configuration.queues.append(.init(id: otherQueueID, name: "other", spaceID: "U3BhY2U6MTpkZW1v"))
        return configuration
    }

    static var catalogued: TestServerConfiguration {
        TestServerConfiguration(
            catalogue: Catalogue(
                projects: [
                    F.project: .init(
                        spans: ["s1": "2026-01-15T12:00:00.123456Z"],
                        traces: ["t1": "2026-01-15T01:00:00+01:00"],
                        sessions: ["x1": "2026-01-15T00:00:01Z"])
                ],
                datasets: [F.dataset: ["e1"]]))
    }

    static func records(_ response: TestResponse, key: String = "record_sources") throws -> [[String: Any]] {
        try #require(try F.object(response.body)[key] as? [[String: Any]])
    }

    static func delete(
        _ client: some TestClientProtocol, _ body: String, path: String = F.recordsPath
    ) async throws -> TestResponse {
        try await client.execute(uri: path, method: .delete, headers: F.headers, body: ByteBuffer(string: body))
    }

    /// Every record of the queue as (record id, data), walking the listing `limit` at a time.
    static func listing(
        _ client: some TestClientProtocol, path: String = F.recordsPath, limit: Int = 500
    ) async throws -> [(String, [String: String])] {
        var result: [(String, [String: String])] = []
        var cursor: String? = nil
        repeat {
            var uri = path + "?limit=\(limit)"
            if let cursor { uri += "&cursor=" + cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
            let response = try await F.get(client, uri)
            #expect(response.status == .ok)
            let body = try F.object(response.body)
            for record in try #require(body["records"] as? [[String: Any]]) {
                result.append((record["id"] as? String ?? "", record["data"] as? [String: String] ?? [:]))
            }
            let pagination = try #require(body["pagination"] as? [String: Any])
            cursor = pagination["has_more"] as? Bool == true ? pagination["next_cursor"] as? String : nil
        } while cursor != nil
        return result
    }

    @Test("each created record carries its source id under the export name and, from a catalogue, start_time in ms")
    func createdRecordData() async throws {
        try await F.withRouter(Self.catalogued) { client async throws in
            let response = try await F.post(
                client,
                F.request(F.span(["s1"]), F.example(["e1"])))
            #expect(response.status == .created)
            let created = try Self.records(response)
            #expect(
                created.map { $0["data"] as? [String: String] } == [
                    ["context.span_id": "s1", "start_time": "1768478400123"], ["id": "e1"],
                ])
            let more = try await F.post(
                client, F.request(F.project("TRACE", ["t1"]), F.project("SESSION", ["x1"])))
            #expect(
                try Self.records(more).map { $0["data"] as? [String: String] } == [
                    ["context.trace_id": "t1", "start_time": "1768435200000"],
                    ["attributes.session.id": "x1", "start_time": "1768435201000"],
                ])
            let listed = try await Self.listing(client)
            let createdIDs = try (created + Self.records(more)).map { try #require($0["id"] as? String) }
            #expect(listed.map(\.0) == createdIDs)
            #expect(listed.map(\.1["start_time"]) == ["1768478400123", nil, "1768435200000", "1768435201000"])
        }
    }

    @Test("without a catalogue the data names the source id and no start_time")
    func dataWithoutCatalogue() async throws {
        try await F.withRouter { client async throws in
            let response = try await F.post(client, F.request(F.span(["a"]), F.project("SESSION", ["s"])))
            #expect(
                try Self.records(response).map { $0["data"] as? [String: String] } == [
                    ["context.span_id": "a"], ["attributes.session.id": "s"],
                ])
        }
    }

    @Test("DELETE removes the named records (204), ignores unknown ids and another queue's, and is safe to repeat")
    func deleteRecords() async throws {
        let server = try TestServer(configuration: Self.twoQueues)
        try await server.makeApplication().test(.router) { client async throws in
            let ids = try Self.records(try await F.post(client, F.request(F.span(["a", "b", "c"])))).map {
                try #require($0["id"] as? String)
            }
            let other = try Self.records(
                try await F.post(client, F.request(F.span(["a"])), path: Self.otherRecordsPath)
            ).map { try #require($0["id"] as? String) }
            let body =
                #"{"record_ids":\#(F.array([ids[0], ids[2], other[0], "bm9wZQ==", "not base64", "QW5ub3RhdGlvblF1ZXVlUmVjb3JkOjk5OQ=="]))}"#
            let response = try await Self.delete(client, body)
            #expect(response.status == .noContent)
            #expect(response.body.readableBytes == 0)
            #expect(try await Self.listing(client).map(\.0) == [ids[1]])
            #expect(try await Self.listing(client, path: Self.otherRecordsPath).map(\.0) == other)
            #expect(try await Self.delete(client, body).status == .noContent)
            #expect(try await Self.listing(client).map(\.0) == [ids[1]])
        }
        let stats = server.control.stats()
        #expect(stats.recordsStored == [F.queueID: 1, Self.otherQueueID: 1])
        #expect(stats.recordsDeleted == 2)
        #expect(server.control.storedIDs(queueID: F.queueID) == ["b"])
    }

    @Test("after a DELETE the same span can be added again and gets a new record")
    func addAgainAfterDelete() async throws {
        try await F.withRouter { client async throws in
            let first = try #require(try Self.records(try await F.post(client, F.request(F.span(["a"])))).first)
            let firstID = try #require(first["id"] as? String)
            #expect(try await F.post(client, F.request(F.span(["a"]))).status == .ok)
            #expect(try await Self.delete(client, #"{"record_ids":["\#(firstID)"]}"#).status == .noContent)
            let again = try await F.post(client, F.request(F.span(["a"])))
            #expect(again.status == .created)
            let second = try #require(try Self.records(again).first)
            #expect(second["data"] as? [String: String] == ["context.span_id": "a"])
            #expect(second["id"] as? String != firstID)
        }
    }

    @Test(
        "DELETE bodies the contract refuses",
        arguments: [
            ("{", 400, "malformed-json"), ("[]", 400, "wrong-type"), (#"{"ids":["a"]}"#, 400, "unknown-field"),
            ("{}", 400, "missing-field"), (#"{"record_ids":"a"}"#, 400, "wrong-type"),
            (#"{"record_ids":[1]}"#, 400, "wrong-type"), (#"{"record_ids":[]}"#, 422, "list-limit"),
            (#"{"record_ids":\#(Fixtures.array(Fixtures.ids("r", 101)))}"#, 422, "list-limit"),
            (#"{"record_ids":["a",""]}"#, 422, "empty-id"),
        ])
    func badDeleteBodies(_ body: String, _ status: Int, _ rule: String) async throws {
        try await F.withRouter { client async throws in
            try F.expectProblem(try await Self.delete(client, body), status: status, rule: rule)
        }
    }

    @Test("DELETE takes 100 ids, and answers 404 only for an unknown queue")
    func deleteLimitsAndUnknownQueue() async throws {
        try await F.withRouter { client async throws in
            let hundred = #"{"record_ids":\#(F.array(F.ids("r", 100)))}"#
            #expect(try await Self.delete(client, hundred).status == .noContent)
            let missing = try await Self.delete(
                client, hundred, path: "/v2/annotation-queues/bm9wZTox/records")
            try F.expectProblem(missing, status: 404, rule: "not-found")
        }
    }

    @Test("a listing walked while records are deleted skips none of those that remain")
    func listingAcrossDeletes() async throws {
        try await F.withRouter { client async throws in
            let ids = try Self.records(try await F.post(client, F.request(F.span(F.ids("s", 6))))).map {
                try #require($0["id"] as? String)
            }
            let first = try F.object(try await F.get(client, F.recordsPath + "?limit=2").body)
            #expect((first["records"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == Array(ids[0..<2]))
            let cursor = try #require((first["pagination"] as? [String: Any])?["next_cursor"] as? String)
            #expect(try await Self.delete(client, #"{"record_ids":["\#(ids[0])","\#(ids[2])"]}"#).status == .noContent)
            let encoded = cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let second = try F.object(try await F.get(client, F.recordsPath + "?limit=2&cursor=\(encoded)").body)
            #expect((second["records"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ids[3], ids[4]])
            #expect((second["pagination"] as? [String: Any])?["has_more"] as? Bool == true)
        }
    }

    @Test("thousands of deletions (the store compacts) leave exactly the rest, in order")
    func manyDeletions() async throws {
        try await F.withRouter { client async throws in
            var ids: [String] = []
            for batch in 0..<6 {
                let response = try await F.post(client, F.request(F.span(F.ids("b\(batch)-", 500))))
                ids += try Self.records(response).map { try #require($0["id"] as? String) }
            }
            let doomed = ids.enumerated().filter { $0.offset % 3 != 0 }.map(\.element)
            for start in stride(from: 0, to: doomed.count, by: 100) {
                let slice = Array(doomed[start..<min(doomed.count, start + 100)])
                #expect(try await Self.delete(client, #"{"record_ids":\#(F.array(slice))}"#).status == .noContent)
            }
            let kept = ids.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
            #expect(try await Self.listing(client, limit: 7).map(\.0) == kept)
        }
    }
}
