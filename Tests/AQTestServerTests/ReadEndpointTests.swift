import AQTestServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("GET endpoints and pagination")
struct ReadEndpointTests {
    typealias F = Fixtures

    static var manyQueues: TestServerConfiguration {
        var configuration = TestServerConfiguration()
        configuration.spaces.append(.init(id: "U3BhY2U6Mjpwcm9k", name: "Prod"))
        for n in 2...8 {
            let id = Data("AnnotationQueue:\(n):q\(n)".utf8).base64EncodedString()
            configuration.queues.append(.init(id: id, name: "Triage \(n)", spaceID: "U3BhY2U6Mjpwcm9k"))
        }
        return configuration
    }

    /// Follows `next_cursor` until `has_more` is false; returns every item's id.
    static func walk(_ client: some TestClientProtocol, _ path: String, key: String) async throws -> [String] {
        var ids: [String] = []
        var cursor: String? = nil
        var pages = 0
        repeat {
            var uri = path
            if let cursor {
                uri += "&cursor=" + cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            }
            let response = try await F.get(client, uri)
            #expect(response.status == .ok)
            let body = try F.object(response.body)
            let items = try #require(body[key] as? [[String: Any]])
            ids += items.compactMap { $0["id"] as? String }
            let pagination = try #require(body["pagination"] as? [String: Any])
            let hasMore = try #require(pagination["has_more"] as? Bool)
            cursor = hasMore ? try #require(pagination["next_cursor"] as? String) : nil
            pages += 1
            #expect(pages < 50)
        } while cursor != nil
        return ids
    }

    @Test("queue records walked to the end, 3 at a time")
    func recordsPagination() async throws {
        try await Fixtures.withRouter { client async throws in
            try await F.post(client, F.request(F.span(F.ids("s", 7))))
            let response = try await F.get(client, F.recordsPath + "?limit=3")
            #expect(try (F.object(response.body)["records"] as? [Any])?.count == 3)
            let ids = try await Self.walk(client, F.recordsPath + "?limit=3", key: "records")
            #expect(ids.count == 7)
            #expect(Set(ids).count == 7)
        }
    }

    @Test("queues of a space walked to the end, with the name filter case-insensitive")
    func queuesPagination() async throws {
        try await Fixtures.withRouter(Self.manyQueues) { client async throws in
            let all = try await Self.walk(
                client, "/v2/annotation-queues?space_id=U3BhY2U6Mjpwcm9k&limit=2", key: "annotation_queues")
            #expect(all.count == 7)
            let demo = try await Self.walk(
                client, "/v2/annotation-queues?space_id=U3BhY2U6MTpkZW1v&limit=100", key: "annotation_queues")
            #expect(demo == [F.queueID])
            let named = try await Self.walk(
                client, "/v2/annotation-queues?name=TRIAGE%207&limit=1", key: "annotation_queues")
            #expect(named == [Data("AnnotationQueue:7:q7".utf8).base64EncodedString()])
        }
    }

    @Test("spaces with the name filter, and a queue by id")
    func spacesAndQueue() async throws {
        try await Fixtures.withRouter(Self.manyQueues) { client async throws in
            #expect(try await Self.walk(client, "/v2/spaces?limit=1", key: "spaces").count == 2)
            #expect(try await Self.walk(client, "/v2/spaces?name=PRO", key: "spaces") == ["U3BhY2U6Mjpwcm9k"])
            let response = try await F.get(client, "/v2/annotation-queues/\(F.encodedQueueID)")
            #expect(response.status == .ok)
            let queue = try F.object(response.body)
            #expect(queue["id"] as? String == F.queueID)
            #expect(queue["name"] as? String == "demo")
            #expect(queue["space_id"] as? String == "U3BhY2U6MTpkZW1v")
            for field in ["instructions", "annotation_configs", "annotators", "created_at", "updated_at"] {
                #expect(queue[field] != nil, "missing \(field)")
            }
            let missing = try await F.get(client, "/v2/annotation-queues/bm9wZTox")
            try F.expectProblem(missing, status: 404, rule: "not-found")
        }
    }

    @Test(
        "400 for a bad limit or cursor",
        arguments: [
            ("/v2/spaces?limit=0", "bad-limit"), ("/v2/spaces?limit=101", "bad-limit"),
            ("/v2/annotation-queues?limit=abc", "bad-limit"), ("/v2/annotation-queues?cursor=%21%21", "bad-cursor"),
            (Fixtures.recordsPath + "?limit=501", "bad-limit"),
            (Fixtures.recordsPath + "?cursor=bm9wZQ%3D%3D", "bad-cursor"),
        ])
    func badPaging(_ path: String, _ rule: String) async throws {
        try await Fixtures.withRouter { client async throws in
            try F.expectProblem(try await F.get(client, path), status: 400, rule: rule)
        }
    }

    @Test("a records limit of 500 is allowed")
    func maxRecordsLimit() async throws {
        try await Fixtures.withRouter { client async throws in
            #expect(try await F.get(client, F.recordsPath + "?limit=500").status == .ok)
        }
    }
}
