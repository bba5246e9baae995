/// A span the search endpoints can find: a catalogued span, the root span of a catalogued trace, or a span
/// carrying a catalogued session's id.
struct CatalogueSpan: Sendable {
    var spanID: String
    var traceID: String
    var sessionID: String?
    /// Nanoseconds since the epoch.
    var startTime: Int64
    var name: String

    /// The fields a filter may compare, as `POST /v2/spans` names them.
    static let filterFields = [
        "context.span_id", "context.trace_id", "attributes.session.id", "name", "parent_id", "span_kind",
        "status_code",
    ]

    static let kind = "UNKNOWN"
    static let statusCode = "OK"

    func value(of field: String) -> String? {
        switch field {
        case "context.span_id": return spanID
        case "context.trace_id": return traceID
        case "attributes.session.id": return sessionID
        case "name": return name
        case "span_kind": return Self.kind
        case "status_code": return Self.statusCode
        default: return nil
        }
    }

    /// The REST `Span`: the fixed fields always; `attributes` holds what `includedColumns` names (every
    /// attribute when it is nil), under dotted keys without the `attributes.` prefix.
    func json(includedColumns: Set<String>?) -> JSONValue {
        var attributes: [(String, JSONValue)] = []
        if let sessionID, includedColumns?.contains("attributes.session.id") ?? true {
            attributes.append(("session.id", .string(sessionID)))
        }
        return .object([
            ("name", .string(name)),
            ("context", .object([("trace_id", .string(traceID)), ("span_id", .string(spanID))])),
            ("kind", .string(Self.kind)),
            ("parent_id", .null),
            ("start_time", .string(RFC3339.format(nanos: startTime))),
            ("end_time", .string(RFC3339.format(nanos: startTime + 1_000_000))),
            ("status_code", .string(Self.statusCode)),
            ("attributes", .object(attributes)),
            ("annotations", .array([])),
            ("evaluations", .array([])),
            ("events", .array([])),
        ])
    }
}
