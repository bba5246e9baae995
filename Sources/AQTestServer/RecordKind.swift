/// The four `record_type`s, spelled exactly as the API wants them.
enum RecordKind: String, Sendable, CaseIterable {
    case span = "SPAN"
    case trace = "TRACE"
    case session = "SESSION"
    case example = "EXAMPLE"

    var idsField: String {
        switch self {
        case .span: return "span_ids"
        case .trace: return "trace_ids"
        case .session: return "session_ids"
        case .example: return "example_ids"
        }
    }

    var idsLimit: ClosedRange<Int> {
        switch self {
        case .span, .trace: return 1...500
        case .session: return 1...100
        case .example: return 0...500
        }
    }

    var requiredFields: [String] {
        switch self {
        case .example: return ["record_type", "dataset_id"]
        default: return ["record_type", "project_id", "start_time", "end_time", idsField]
        }
    }

    var allowedFields: Set<String> {
        switch self {
        case .example: return ["record_type", "dataset_id", "dataset_version_id", "example_ids"]
        default: return Set(requiredFields)
        }
    }

    /// The key under which a created record's `data` carries the source id.
    var dataKey: String {
        switch self {
        case .span: return "context.span_id"
        case .trace: return "context.trace_id"
        case .session: return "attributes.session.id"
        case .example: return "id"
        }
    }
}
