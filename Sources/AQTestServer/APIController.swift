import Foundation
import Hummingbird

/// The `/v2/` routes of the contract.
struct APIController: Sendable {
    let configuration: TestServerConfiguration
    let queuesByID: [String: TestServerConfiguration.Queue]
    let validator: AddRecordsValidator
    let control: TestServerControl

    static let createdAt = "2026-01-01T00:00:00Z"

    init(configuration: TestServerConfiguration, validator: AddRecordsValidator, control: TestServerControl) {
        self.configuration = configuration
        self.validator = validator
        self.control = control
        var queues: [String: TestServerConfiguration.Queue] = [:]
        for queue in configuration.queues { queues[queue.id] = queue }
        queuesByID = queues
    }

    func register(on group: RouterGroup<ServerRequestContext>) {
        group.get("spaces") { request, _ in try listSpaces(request) }
        group.get("annotation-queues") { request, _ in try listQueues(request) }
        group.get("annotation-queues/{id}") { request, context in
            let queue = try queue(context)
            return Self.json(.ok, Self.queueJSON(queue))
        }
        group.get("annotation-queues/{id}/records") { request, context in try listRecords(request, context) }
        group.post("annotation-queues/{id}/records") { request, context in try await addRecords(request, context) }
        group.delete("annotation-queues/{id}/records") { request, context in
            try await deleteRecords(request, context)
        }
    }

    static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: value.serialized)))
    }

    static func queueJSON(_ queue: TestServerConfiguration.Queue) -> JSONValue {
        .object([
            ("id", .string(queue.id)),
            ("name", .string(queue.name)),
            ("space_id", .string(queue.spaceID)),
            ("instructions", .string(queue.instructions)),
            ("annotation_configs", .array([])),
            ("annotators", .array([])),
            ("created_at", .string(createdAt)),
            ("updated_at", .string(createdAt)),
        ])
    }

    /// The queue named by the percent-decoded `{id}` path segment, or 404.
    func queue(_ context: ServerRequestContext) throws(Problem) -> TestServerConfiguration.Queue {
        let raw = context.parameters.get("id") ?? ""
        guard let id = raw.removingPercentEncoding else {
            throw .badRequest("bad-id", "annotation queue id \"\(raw)\" is not validly percent-encoded")
        }
        guard let queue = queuesByID[id] else {
            throw .notFound("annotation queue \(id) not found or not readable with this API key")
        }
        return queue
    }

    func listSpaces(_ request: Request) throws(Problem) -> Response {
        let page = try Pagination(request: request, defaultLimit: 50, maxLimit: 100)
        var spaces = configuration.spaces
        if let name = request.uri.queryParameters["name"], !name.isEmpty {
            spaces = spaces.filter { $0.name.range(of: String(name), options: .caseInsensitive) != nil }
        }
        let (items, end, hasMore) = Self.slice(spaces, page)
        let json = items.map { space in
            JSONValue.object([
                ("id", .string(space.id)), ("name", .string(space.name)), ("created_at", .string(Self.createdAt)),
            ])
        }
        return Self.json(
            .ok, .object([("spaces", .array(json)), ("pagination", Pagination.json(end: end, hasMore: hasMore))]))
    }

    func listQueues(_ request: Request) throws(Problem) -> Response {
        let page = try Pagination(request: request, defaultLimit: 50, maxLimit: 100)
        let query = request.uri.queryParameters
        var queues = configuration.queues
        if let spaceID = query["space_id"], !spaceID.isEmpty {
            queues = queues.filter { $0.spaceID == spaceID }
        }
        if let name = query["name"], !name.isEmpty {
            queues = queues.filter { $0.name.range(of: String(name), options: .caseInsensitive) != nil }
        }
        let (items, end, hasMore) = Self.slice(queues, page)
        return Self.json(
            .ok,
            .object([
                ("annotation_queues", .array(items.map(Self.queueJSON))),
                ("pagination", Pagination.json(end: end, hasMore: hasMore)),
            ]))
    }

    static func slice<T>(_ all: [T], _ page: Pagination) -> ([T], Int, Bool) {
        guard page.offset < all.count else { return ([], page.offset, false) }
        let end = min(all.count, page.offset + page.limit)
        return (Array(all[page.offset..<end]), end, end < all.count)
    }

    func listRecords(_ request: Request, _ context: ServerRequestContext) throws(Problem) -> Response {
        let queue = try queue(context)
        // The cursor holds the next record number rather than an offset, so deletions between pages skip nothing.
        let page = try Pagination(request: request, defaultLimit: 50, maxLimit: 500)
        let (records, hasMore) = control.records(queueID: queue.id, from: page.offset, limit: page.limit)
        let end = (records.last?.number ?? page.offset) + 1
        return Self.json(
            .ok,
            .object([
                ("records", .array(records.map { $0.json(queueID: queue.id) })),
                ("pagination", Pagination.json(end: end, hasMore: hasMore)),
            ]))
    }

    func addRecords(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let queue = try queue(context)
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let result = try validator.validate(body: body.readableBytesView)
        let created = control.addRecords(
            queueID: queue.id, sources: result.sources, unknownIgnored: result.unknownIgnored)
        let records = JSONValue.array(created.map { $0.json(queueID: queue.id) })
        return Self.json(created.isEmpty ? .ok : .created, .object([("record_sources", records)]))
    }

    func deleteRecords(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let queue = try queue(context)
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let parsed = try DeleteRecordsRequest(body: body.readableBytesView)
        control.deleteRecords(queueID: queue.id, recordIDs: parsed.recordIDs)
        return Response(status: .noContent)
    }
}
