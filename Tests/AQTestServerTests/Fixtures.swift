import AQTestServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Request bodies, paths and helpers shared by the contract tests.
enum Fixtures {
    static let queueID = "QW5ub3RhdGlvblF1ZXVlOjE6ZGVtbw=="
    static let encodedQueueID = "QW5ub3RhdGlvblF1ZXVlOjE6ZGVtbw%3D%3D"
    static let recordsPath = "/v2/annotation-queues/\(encodedQueueID)/records"
    static let project = "UHJvamVjdDox"
    static let dataset = "RGF0YXNldDox"
    static let start = "2026-01-15T00:00:00Z"
    static let end = "2026-01-16T00:00:00Z"

    static let headers: HTTPFields = [.authorization: "Bearer test-key", .contentType: "application/json"]

    static func array(_ ids: [String]) -> String {
        "[" + ids.map { "\"\($0)\"" }.joined(separator: ",") + "]"
    }

    static func ids(_ prefix: String, _ count: Int) -> [String] {
        (0..<count).map { "\(prefix)\($0)" }
    }

    static func project(
        _ type: String = "SPAN", _ ids: [String], field: String? = nil, project: String = project,
        start: String = start, end: String = end
    ) -> String {
        let field = field ?? "\(type.lowercased())_ids"
        return #"{"record_type":"\#(type)","project_id":"\#(project)","start_time":"\#(start)","#
            + #""end_time":"\#(end)","\#(field)":\#(array(ids))}"#
    }

    static func span(_ ids: [String], start: String = start, end: String = end) -> String {
        project("SPAN", ids, start: start, end: end)
    }

    static func example(_ ids: [String]?, dataset: String = dataset) -> String {
        guard let ids else { return #"{"record_type":"EXAMPLE","dataset_id":"\#(dataset)"}"# }
        return #"{"record_type":"EXAMPLE","dataset_id":"\#(dataset)","example_ids":\#(array(ids))}"#
    }

    static func request(_ sources: String...) -> String {
        #"{"record_sources":[\#(sources.joined(separator: ","))]}"#
    }

    static func object(_ buffer: ByteBuffer) throws -> [String: Any] {
        let data = Data(buffer.readableBytesView)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Runs `test` against the double's router in memory (no sockets).
    static func withRouter(
        _ configuration: TestServerConfiguration = TestServerConfiguration(),
        _ test: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let server = try TestServer(configuration: configuration)
        try await server.makeApplication().test(.router, test)
    }

    /// Checks a problem answer: status, content type, the rule in `type`, and a detail fragment.
    static func expectProblem(
        _ response: TestResponse, status: Int, rule: String, detail: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(response.status.code == status, sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        let body = try object(response.body)
        #expect(body["status"] as? Int == status, sourceLocation: sourceLocation)
        #expect(body["title"] is String, sourceLocation: sourceLocation)
        #expect(body["type"] as? String == "urn:aq-test-server:problem:\(rule)", sourceLocation: sourceLocation)
        let text = body["detail"] as? String ?? ""
        if let detail {
            #expect(text.contains(detail), "detail: \(text)", sourceLocation: sourceLocation)
        }
    }

    @discardableResult
    static func post(
        _ client: some TestClientProtocol, _ body: String, path: String = recordsPath, headers: HTTPFields = headers
    ) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    static func get(_ client: some TestClientProtocol, _ uri: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: headers)
    }
}
