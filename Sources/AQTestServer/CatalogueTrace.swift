/// A trace the search endpoint can find: a catalogued trace id, its root span and start time.
struct CatalogueTrace: Sendable {
    var traceID: String
    var rootSpanID: String
    /// Nanoseconds since the epoch.
    var startTime: Int64

    /// The fields a filter may compare, as `POST /v2/traces` names them (`trace_id` is `context.trace_id`).
    static let filterFields = ["context.trace_id", "trace_id", "root_span_id"]

    func value(of field: String) -> String? {
        switch field {
        case "context.trace_id", "trace_id": return traceID
        case "root_span_id": return rootSpanID
        default: return nil
        }
    }

    var json: JSONValue {
        .object([
            ("trace_id", .string(traceID)),
            ("root_span_id", .string(rootSpanID)),
            ("start_time", .string(RFC3339.format(nanos: startTime))),
            ("end_time", .string(RFC3339.format(nanos: startTime + 1_000_000))),
        ])
    }
}
