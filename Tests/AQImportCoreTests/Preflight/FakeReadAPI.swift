import Foundation

@testable import AQImportCore

/// An in-memory API of the read endpoints the preflight uses: `POST /v2/spans` (spans by
/// `context.span_id`, or by `attributes.session.id`), `POST /v2/traces` and
/// `GET /v2/datasets/{id}/examples`, over a catalogue of ids with times; windows inclusive, pages
/// cut by an offset cursor. The filter's quoted strings are taken as the ids asked for. `fault`
/// may answer a call first (by its 0-based number); every request is recorded.
final class FakeReadAPI: HTTPTransport, @unchecked Sendable {
    struct Span {
        var spanID: String
        var traceID: String
        var sessionID: String?
        var time: Timestamp
    }

    var spans: [String: [Span]] = [:]
    var traces: [String: [String: Timestamp]] = [:]
    var examples: [String: [String]] = [:]
    var pageLimit = 500
    var fault: @Sendable (HTTPRequest, Int) -> Result<HTTPResponse, TransportError>? = { _, _ in nil }
    private let lock = NSLock()
    private var requests: [HTTPRequest] = []

    var calls: [HTTPRequest] { lock.withLock { requests } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let index = lock.withLock {
            requests.append(request)
            return requests.count - 1
        }
        if let fault = fault(request, index) { return try fault.get() }
        let url = URLComponents(string: request.url)!
        var query: [String: String] = [:]
        for item in url.queryItems ?? [] { query[item.name] = item.value ?? "" }
        let limit = min(Int(query["limit"] ?? "50") ?? 50, pageLimit)
        let offset = Int(query["cursor"] ?? "0") ?? 0
        let path = url.percentEncodedPath

        if request.method == "GET", path.hasPrefix("/v2/datasets/"), path.hasSuffix("/examples") {
            let id = String(path.dropFirst("/v2/datasets/".count).dropLast("/examples".count)).removingPercentEncoding!
            guard let members = examples[id] else { return FakeTransport.problem(404, "dataset \(id) not found") }
            return Self.page(
                members.map { ["id": $0, "updated_at": 1] }, key: "examples", offset: offset, limit: limit)
        }
        guard request.method == "POST",
            let body = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any],
            let project = body["project_id"] as? String, let filter = body["filter"] as? String,
            let start = (body["start_time"] as? String).flatMap(Self.time),
            let end = (body["end_time"] as? String).flatMap(Self.time)
        else { return FakeTransport.problem(400, "bad read \(request.method) \(path)") }
        let wanted = Set(Self.quoted(filter))
        let inWindow = { (time: Timestamp) in start <= time && time <= end }
        switch path {
        case "/v2/spans":
            let bySession = filter.hasPrefix("attributes.session.id")
            let matches = (spans[project] ?? []).filter { span in
                inWindow(span.time) && wanted.contains((bySession ? span.sessionID : span.spanID) ?? "")
            }
            let items: [[String: Any]] = matches.map { span in
                var attributes: [String: Any] = [:]
                if let session = span.sessionID { attributes["session.id"] = session }
                return [
                    "name": "llm", "context": ["span_id": span.spanID, "trace_id": span.traceID],
                    "start_time": span.time.rfc3339, "attributes": attributes,
                ]
            }
            return Self.page(items, key: "spans", offset: offset, limit: limit)
        case "/v2/traces":
            let matches = (traces[project] ?? [:]).filter { wanted.contains($0.key) && inWindow($0.value) }
            let items: [[String: Any]] = matches.keys.sorted().map { ["trace_id": $0, "root_span_id": "r"] }
            return Self.page(items, key: "traces", offset: offset, limit: limit)
        default:
            return FakeTransport.problem(404, "no route \(path)")
        }
    }

    static func page(_ items: [[String: Any]], key: String, offset: Int, limit: Int) -> HTTPResponse {
        let slice = Array(items[min(offset, items.count)..<min(offset + limit, items.count)])
        var pagination: [String: Any] = ["has_more": offset + limit < items.count]
        if offset + limit < items.count { pagination["next_cursor"] = String(offset + limit) }
        let data = try! JSONSerialization.data(withJSONObject: [key: slice, "pagination": pagination])
        return HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: Array(data))
    }

    /// The single-quoted strings of a filter, `''` read as one quote.
    static func quoted(_ filter: String) -> [String] {
        var out: [String] = []
        var current: String?
        var scalars = Array(filter.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            if scalar == "'" {
                if current == nil {
                    current = ""
                } else if scalars.first == "'" {
                    scalars.removeFirst()
                    current!.unicodeScalars.append(scalar)
                } else {
                    out.append(current!)
                    current = nil
                }
            } else if current != nil {
                current!.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func time(_ text: String) -> Timestamp? {
        guard case .valid(let time) = TimestampParser.parse(text) else { return nil }
        return time
    }
}
