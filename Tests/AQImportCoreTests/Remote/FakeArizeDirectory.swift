import Foundation

@testable import AQImportCore

/// An in-memory API that serves `GET /v2/spaces`, `GET /v2/annotation-queues` and
/// `GET /v2/annotation-queues/{id}` as the real one does: `name` filters by case-insensitive
/// substring, lists are paged by an opaque cursor. It records every request.
final class FakeArizeDirectory: HTTPTransport, @unchecked Sendable {
    struct Queue {
        var id: String
        var name: String
        var spaceID: String
    }

    let spaces: [RemoteSpace]
    let queues: [Queue]
    let validKey: String
    /// Keys that are valid but may not read anything (403).
    let forbiddenKeys: Set<String>
    private let lock = NSLock()
    private var requests: [HTTPRequest] = []

    init(spaces: [RemoteSpace], queues: [Queue], validKey: String = "ak-good", forbiddenKeys: Set<String> = []) {
        self.spaces = spaces
        self.queues = queues
        self.validKey = validKey
        self.forbiddenKeys = forbiddenKeys
    }

    var calls: [HTTPRequest] { lock.withLock { requests } }
    var paths: [String] { calls.map { String($0.url.dropFirst("https://api.arize.com".count)) } }

    static func id(_ kind: String, _ number: Int) -> String {
        Data("\(kind):\(number):x".utf8).base64EncodedString()
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        lock.withLock { requests.append(request) }
        guard request.method == "GET" else { return Self.problem(405, "only reads here") }
        let key = request.header("Authorization").map { String($0.dropFirst("Bearer ".count)) }
        if forbiddenKeys.contains(key ?? "") { return Self.problem(403, "not permitted") }
        guard key == validKey else { return Self.problem(401, "invalid credentials") }

        let url = URLComponents(string: request.url)!
        var query: [String: String] = [:]
        for item in url.queryItems ?? [] { query[item.name] = item.value ?? "" }
        let path = url.percentEncodedPath
        let limit = Int(query["limit"] ?? "50") ?? 50
        guard (1...100).contains(limit) else { return Self.problem(400, "limit out of range") }
        func filtered<T>(_ items: [T], name: (T) -> String) -> [T] {
            guard let wanted = query["name"], !wanted.isEmpty else { return items }
            return items.filter { name($0).lowercased().contains(wanted.lowercased()) }
        }
        switch path {
        case "/v2/spaces":
            let page = Self.page(filtered(spaces, name: \.name), query: query, limit: limit)
            return Self.json([
                "spaces": page.items.map { ["id": $0.id, "name": $0.name] }, "pagination": page.pagination,
            ])
        case "/v2/annotation-queues":
            guard let spaceID = query["space_id"] else { return Self.problem(400, "space_id is required") }
            let inSpace = queues.filter { $0.spaceID == spaceID }
            let page = Self.page(filtered(inSpace, name: \.name), query: query, limit: limit)
            return Self.json([
                "annotation_queues": page.items.map { Self.queueJSON($0) }, "pagination": page.pagination,
            ])
        default:
            let prefix = "/v2/annotation-queues/"
            guard path.hasPrefix(prefix), let id = String(path.dropFirst(prefix.count)).removingPercentEncoding,
                let queue = queues.first(where: { $0.id == id })
            else { return Self.problem(404, "not found") }
            return Self.json(Self.queueJSON(queue))
        }
    }

    private static func queueJSON(_ queue: Queue) -> [String: Any] {
        [
            "id": queue.id, "name": queue.name, "space_id": queue.spaceID, "instructions": "",
            "annotation_configs": [], "annotators": [], "created_at": "2026-01-01T00:00:00Z",
        ]
    }

    /// The cursor is the offset, base64-encoded so that it looks opaque.
    private static func page<T>(_ items: [T], query: [String: String], limit: Int) -> (
        items: [T], pagination: [String: Any]
    ) {
        let offset =
            query["cursor"].flatMap { Data(base64Encoded: $0) }.flatMap { Int(String(decoding: $0, as: UTF8.self)) }
            ?? 0
        let end = min(items.count, offset + limit)
        let slice = Array(items[min(offset, items.count)..<end])
        var pagination: [String: Any] = ["has_more": end < items.count]
        if end < items.count { pagination["next_cursor"] = Data(String(end).utf8).base64EncodedString() }
        return (slice, pagination)
    }

    private static func json(_ object: Any) -> HTTPResponse {
        let body = try! JSONSerialization.data(withJSONObject: object)
        return HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: Array(body))
    }

    static func problem(_ status: Int, _ detail: String) -> HTTPResponse {
        let body = try! JSONSerialization.data(withJSONObject: [
            "type": "about:blank", "title": "error", "status": status, "detail": detail,
        ])
        return HTTPResponse(status: status, headers: [("Content-Type", "application/problem+json")], body: Array(body))
    }
}
