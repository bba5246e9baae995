import Foundation

/// Turns `--queue` (and `--space`) into a queue id exactly as the official SDK does
/// (`utils/resolve.py`), and checks with reads only that the key works and the queue exists
/// (`--dry-run --check-remote`). Every request is a GET.
public struct QueueResolver: Sendable {
    public let transport: any HTTPTransport
    public let endpoint: Endpoint
    public let credential: APICredential
    /// Named in errors about the key: `the environment variable ARIZE_API_KEY`, `profile work (...)`.
    public let keySource: String
    /// Items per list page (the API allows 1...100; the SDK asks for 100).
    public let pageSize: Int
    /// How many pages of unfiltered listing to read, after a miss, for the nearest names.
    public let suggestionPages: Int
    /// A bound on pages followed for one listing, against a server whose cursor never ends.
    public let maxPages: Int
    public let timeout: Duration?
    /// Reads are retried like deliveries (429, 5xx, dropped connections), at most this many attempts.
    public let maxAttempts: Int
    public let maxBackoff: Duration
    /// Waits between attempts; tests pass one that returns at once.
    public let sleep: @Sendable (Duration) async throws -> Void
    /// What it is doing, said before each look-up: on a slow server they can take many seconds.
    public var notice: @Sendable (String) -> Void = { _ in }

    public init(
        transport: any HTTPTransport, endpoint: Endpoint, credential: APICredential, keySource: String? = nil,
        pageSize: Int = 100, suggestionPages: Int = 5, maxPages: Int = 1000, timeout: Duration? = .seconds(30),
        maxAttempts: Int = 8, maxBackoff: Duration = Backoff.defaultCap,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.transport = transport
        self.endpoint = endpoint
        self.credential = credential
        self.keySource = keySource ?? credential.source.description
        self.pageSize = pageSize
        self.suggestionPages = suggestionPages
        self.maxPages = maxPages
        self.timeout = timeout
        self.maxAttempts = max(maxAttempts, 1)
        self.maxBackoff = maxBackoff
        self.sleep = sleep
    }

    // MARK: Resolution

    /// The queue id for `--queue VALUE [--space VALUE]`. An id is returned as given, with no request
    /// (as the SDK does); a name needs a space, and is matched exactly, case included.
    public func resolve(queue: String, space: String?) async throws(RemoteError) -> ResolvedQueue {
        if ResourceIdentifier.isID(queue) {
            return ResolvedQueue(id: queue)
        }
        guard let space, !space.isEmpty else { throw .queueNameNeedsSpace(queue: queue) }
        let spaceID = try await resolveSpaceID(space)
        notice("looking up the queue named \(queue.debugDescription) in space \(spaceID) at \(endpoint.baseURL)")
        var seen: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page: RemotePage<RemoteQueue> = try await list(
                "/v2/annotation-queues", itemsKey: "annotation_queues",
                query: [("space_id", spaceID), ("name", queue)], cursor: cursor)
            if let match = page.items.first(where: { $0.name == queue }) {
                return ResolvedQueue(id: match.id, name: match.name, spaceID: spaceID)
            }
            seen += page.items.map(\.name)
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil && pages < maxPages
        let others: [RemoteQueue] = try await sample(
            "/v2/annotation-queues", itemsKey: "annotation_queues", query: [("space_id", spaceID)])
        let shownSpace = space == spaceID ? spaceID : "\(space.debugDescription) (\(spaceID))"
        throw .queueNotFound(
            name: queue, space: shownSpace,
            suggestions: NameSuggestions.nearest(to: queue, among: seen + others.map(\.name)))
    }

    /// The space id for `--space VALUE`: an id as given, else the one space whose name is exactly
    /// `space` (every page is read, as the SDK does, so that a name in two organisations is caught).
    public func resolveSpaceID(_ space: String) async throws(RemoteError) -> String {
        if ResourceIdentifier.isID(space) { return space }
        notice("looking up the space named \(space.debugDescription) at \(endpoint.baseURL)")
        var matches: [String] = []
        var seen: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page: RemotePage<RemoteSpace> = try await list(
                "/v2/spaces", itemsKey: "spaces", query: [("name", space)], cursor: cursor)
            matches += page.items.filter { $0.name == space }.map(\.id)
            seen += page.items.map(\.name)
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil && pages < maxPages
        if matches.count > 1 { throw .spaceAmbiguous(name: space, ids: matches) }
        if let id = matches.first { return id }
        let others: [RemoteSpace] = try await sample("/v2/spaces", itemsKey: "spaces", query: [])
        throw .spaceNotFound(
            name: space, suggestions: NameSuggestions.nearest(to: space, among: seen + others.map(\.name)))
    }

    // MARK: Remote check

    /// `GET /v2/annotation-queues/{id}`: the key is accepted (else `.unauthorized`, naming the key's
    /// source) and the queue exists and is readable (else `.queueMissing`).
    public func checkRemote(queueID: String) async throws(RemoteError) -> RemoteQueue {
        let path = APIPath.queue(queueID)
        let response = try await get(path)
        if response.status == 404 { throw .queueMissing(id: queueID) }
        try requireSuccess(response, request: "GET \(path)")
        return try decode(RemoteQueue.self, from: response, request: "GET \(path)")
    }

    // MARK: HTTP

    /// A few unfiltered pages, for suggestions only: a failure here leaves the suggestions shorter.
    private func sample<Item: Decodable & Sendable>(
        _ path: String, itemsKey: String, query: [(String, String)]
    ) async throws(RemoteError) -> [Item] {
        var items: [Item] = []
        var cursor: String?
        for _ in 0..<suggestionPages {
            let page: RemotePage<Item>
            do {
                page = try await list(path, itemsKey: itemsKey, query: query, cursor: cursor)
            } catch {
                if case .unauthorized = error { throw error }
                break
            }
            items += page.items
            cursor = page.nextCursor
            if cursor == nil { break }
        }
        return items
    }

    private func list<Item: Decodable & Sendable>(
        _ path: String, itemsKey: String, query: [(String, String)], cursor: String?
    ) async throws(RemoteError) -> RemotePage<Item> {
        var parameters = query
        parameters.append(("limit", String(pageSize)))
        if let cursor { parameters.append(("cursor", cursor)) }
        let target = path + "?" + parameters.map { "\($0)=\(APIPath.percentEncode($1))" }.joined(separator: "&")
        let response = try await get(target)
        try requireSuccess(response, request: "GET \(path)")
        let decoder = JSONDecoder()
        decoder.userInfo[RemotePage<Item>.itemsKey] = itemsKey
        do {
            return try decoder.decode(RemotePage<Item>.self, from: Data(response.body))
        } catch {
            throw .malformedResponse(request: "GET \(path)", reason: Self.reason(error))
        }
    }

    private func get(_ target: String) async throws(RemoteError) -> HTTPResponse {
        let request = HTTPRequest(
            method: "GET", url: endpoint.url(path: target),
            headers: [("Authorization", credential.authorization), ("Accept", "application/json")],
            timeout: timeout)
        // In an existential box: ThreadSanitizer crashes on the empty generator passed inout (swiftlang/swift#61244).
        var random: any RandomNumberGenerator = SystemRandomNumberGenerator()
        var attempt = 0
        while true {
            attempt += 1
            var retryAfter: String?
            do {
                let response = try await transport.send(request)
                guard case .retry = RetryPolicy.decide(status: response.status), attempt < maxAttempts else {
                    return response
                }
                retryAfter = response.header("Retry-After")
            } catch let error as TransportError {
                guard case .retry = RetryPolicy.decide(error: error), attempt < maxAttempts else {
                    throw .transport(error)
                }
            } catch is CancellationError {
                throw .cancelled
            } catch {
                throw .transport(.noResponse(String(describing: error)))
            }
            let wait = RetryPolicy.delay(
                failedAttempt: attempt, retryAfter: retryAfter, now: Sender.systemTime(),
                baseBackoff: Backoff.defaultBase, maxBackoff: maxBackoff, using: &random)
            do {
                try await sleep(wait)
            } catch {
                throw .cancelled
            }
        }
    }

    private func requireSuccess(_ response: HTTPResponse, request: String) throws(RemoteError) {
        switch response.status {
        case 200..<300:
            return
        case 401, 403:
            throw .unauthorized(
                status: response.status, keySource: keySource,
                detail: ProblemDetails.parse(response.body).flatMap { $0.detail ?? $0.title } ?? "")
        default:
            throw .http(
                status: response.status, request: request,
                detail: ProblemDetails.summary(status: response.status, body: response.body))
        }
    }

    private func decode<Value: Decodable>(_ type: Value.Type, from response: HTTPResponse, request: String)
        throws(RemoteError) -> Value
    {
        do {
            return try JSONDecoder().decode(type, from: Data(response.body))
        } catch {
            throw .malformedResponse(request: request, reason: Self.reason(error))
        }
    }

    private static func reason(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?: "no \(key.stringValue) field"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case .dataCorrupted?: "not JSON"
        default: String(describing: error)
        }
    }
}
