/// How one look-up of sampled ids is asked of the read endpoints, and how the answer is read:
/// spans through `POST /v2/spans` filtered on `context.span_id`, sessions through the same endpoint
/// filtered on `attributes.session.id`, traces through `POST /v2/traces` filtered on
/// `context.trace_id`, each in the look-up's window with the fewest columns; examples through the
/// dataset's paged `GET /v2/datasets/{id}/examples`.
public struct PreflightQuery: Sendable {
    public var kind: RecordKind
    public var scope: Scope
    public var lookup: PreflightSample.Lookup

    /// Items per page: the most the endpoints allow.
    public static let pageSize = 500

    public init(kind: RecordKind, scope: Scope, lookup: PreflightSample.Lookup) {
        self.kind = kind
        self.scope = scope
        self.lookup = lookup
    }

    /// The field the filter names.
    public var filterField: String {
        switch kind {
        case .span: "context.span_id"
        case .trace: "context.trace_id"
        case .session: "attributes.session.id"
        case .example: "id"
        }
    }

    /// The key of the item list in the answer.
    public var itemsKey: String {
        switch kind {
        case .span, .session: "spans"
        case .trace: "traces"
        case .example: "examples"
        }
    }

    /// `context.span_id = 'a' OR context.span_id = 'b'`, quotes in ids doubled.
    public var filter: String {
        lookup.ids.map { "\(filterField) = '\($0.text.replacingQuotes())'" }.joined(separator: " OR ")
    }

    /// The read, without its page parameters.
    public var read: RemoteRead {
        switch scope {
        case .dataset(let id, let version):
            return .get(
                "/v2/datasets/\(APIPath.percentEncode(id))/examples",
                query: version.map { [("dataset_version_id", $0)] } ?? [])
        case .project(let id):
            var body: [UInt8] = Array("{\"project_id\":".utf8)
            RequestBody.appendJSONString(id, to: &body)
            if let window = lookup.window {
                body.append(contentsOf: ",\"start_time\":".utf8)
                RequestBody.appendJSONString(window.start.rfc3339, to: &body)
                body.append(contentsOf: ",\"end_time\":".utf8)
                RequestBody.appendJSONString(window.end.rfc3339, to: &body)
            }
            body.append(contentsOf: ",\"filter\":".utf8)
            RequestBody.appendJSONString(filter, to: &body)
            if kind != .trace {
                body.append(contentsOf: ",\"included_columns\":[".utf8)
                RequestBody.appendJSONString(filterField, to: &body)
                body.append(UInt8(ascii: "]"))
            }
            body.append(UInt8(ascii: "}"))
            return .post(kind == .trace ? "/v2/traces" : "/v2/spans", json: body)
        }
    }

    /// Where the ids were looked for, for messages: `POST /v2/spans in project P between S and E`.
    public var whereLooked: String {
        switch scope {
        case .dataset:
            return "GET \(read.path) (\(scope.description))"
        case .project:
            let bounds = lookup.window.map { " between \($0.start.rfc3339) and \($0.end.rfc3339)" } ?? ""
            return "\(read.method) \(read.path) in \(scope.description)\(bounds)"
        }
    }

    /// The id of this look-up's kind that an answer's item carries, if any.
    public func id(of item: PreflightItem) -> String? {
        switch kind {
        case .span: item.spanID
        case .trace: item.traceID
        case .session: item.sessionID
        case .example: item.id
        }
    }
}

extension String {
    /// By scalars, not characters: a quote followed by a combining mark is one `Character` that is not
    /// `"'"`, and would be left undoubled.
    fileprivate func replacingQuotes() -> String {
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            out.append(scalar)
            if scalar == "'" { out.append(scalar) }
        }
        return String(out)
    }
}
