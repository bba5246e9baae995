import Hummingbird

/// The reads that tell an importer whether its ids exist: `POST /v2/spans`, `POST /v2/traces` and
/// `GET /v2/datasets/{id}/examples`, each paged with `limit` (1..500, default 50) and `cursor`.
///
/// With a catalogue they search it: a project or dataset it does not list holds nothing (spans and traces:
/// 200 with an empty list; examples: 404). Without one every id is known, so a search finds one object for each
/// id that an `=` of its filter names, starting at the window's start; and a dataset lists the examples added
/// to any queue so far.
struct SearchController: Sendable {
    let catalogue: ResolvedCatalogue?
    let control: TestServerControl

    static let maxLimit = 500
    static let defaultLimit = 50

    func register(on group: RouterGroup<ServerRequestContext>) {
        group.post("spans") { request, context in try await searchSpans(request, context) }
        group.post("traces") { request, context in try await searchTraces(request, context) }
        group.get("datasets/{id}/examples") { request, context in try listExamples(request, context) }
    }

    func searchSpans(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let page = try Pagination(request: request, defaultLimit: Self.defaultLimit, maxLimit: Self.maxLimit)
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let search = try SpanSearchRequest(
            body: body.readableBytesView, filterFields: CatalogueSpan.filterFields, allowsColumns: true)
        let found = world(search).spans(matching: search.filter, from: search.start, through: search.end)
        let (items, end, hasMore) = APIController.slice(found, page)
        return APIController.json(
            .ok,
            .object([
                ("spans", .array(items.map { $0.json(includedColumns: search.includedColumns) })),
                ("pagination", Pagination.json(end: end, hasMore: hasMore)),
            ]))
    }

    func searchTraces(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let page = try Pagination(request: request, defaultLimit: Self.defaultLimit, maxLimit: Self.maxLimit)
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let search = try SpanSearchRequest(
            body: body.readableBytesView, filterFields: CatalogueTrace.filterFields, allowsColumns: false)
        let found = world(search).traces(matching: search.filter, from: search.start, through: search.end)
        let (items, end, hasMore) = APIController.slice(found, page)
        return APIController.json(
            .ok,
            .object([
                ("traces", .array(items.map(\.json))),
                ("pagination", Pagination.json(end: end, hasMore: hasMore)),
            ]))
    }

    private func world(_ search: SpanSearchRequest) -> ProjectSpans {
        guard let catalogue else { return ProjectSpans(namedBy: search.filter, at: search.start) }
        return catalogue.searchable[search.projectID] ?? ProjectSpans(times: [:])
    }

    func listExamples(_ request: Request, _ context: ServerRequestContext) throws(Problem) -> Response {
        let raw = context.parameters.get("id") ?? ""
        guard let datasetID = raw.removingPercentEncoding else {
            throw .badRequest("bad-id", "dataset id \"\(raw)\" is not validly percent-encoded")
        }
        if let version = request.uri.queryParameters["dataset_version_id"], version.isEmpty {
            throw .badRequest("bad-version", "dataset_version_id is an empty string")
        }
        let page = try Pagination(request: request, defaultLimit: Self.defaultLimit, maxLimit: Self.maxLimit)
        let examples: [String]
        if let catalogue {
            guard let members = catalogue.datasets[datasetID] else {
                throw .notFound("dataset \(datasetID) not found or not readable with this API key")
            }
            examples = members
        } else {
            examples = control.examplesSeen(dataset: datasetID)
        }
        let (items, end, hasMore) = APIController.slice(examples, page)
        let json = items.map { id in
            JSONValue.object([
                ("id", .string(id)), ("created_at", .string(APIController.createdAt)),
                ("updated_at", .string(APIController.createdAt)),
            ])
        }
        return APIController.json(
            .ok, .object([("examples", .array(json)), ("pagination", Pagination.json(end: end, hasMore: hasMore))]))
    }
}
