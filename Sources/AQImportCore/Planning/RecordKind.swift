/// The four kinds of record an annotation queue accepts, each with its API spelling and limits.
public enum RecordKind: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case span
    case trace
    case session
    case example

    /// The `record_type` value the API expects (exact case).
    public var recordType: String {
        switch self {
        case .span: "SPAN"
        case .trace: "TRACE"
        case .session: "SESSION"
        case .example: "EXAMPLE"
        }
    }

    /// The JSON field that carries this kind's ids in a record source.
    public var idsField: String {
        switch self {
        case .span: "span_ids"
        case .trace: "trace_ids"
        case .session: "session_ids"
        case .example: "example_ids"
        }
    }

    /// How many ids one source of this kind may carry (also the per-request cap for sessions).
    public var maxIDsPerSource: Int { self == .session ? 100 : 500 }

    /// Span, trace and session records live in a project and need a time window; examples do not.
    public var isProjectKind: Bool { self != .example }

    public static func < (lhs: RecordKind, rhs: RecordKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Limits of one add-records request, from the API contract (shared/api/README.md).
public enum APILimits {
    public static let maxSourcesPerRequest = 2
    public static let maxRecordsPerRequest = 500
    public static let maxSessionsPerRequest = 100
    /// The longest window a project source may span.
    public static let maxWindowSeconds: Int64 = 7 * 86_400
    /// How far inside the window every id's timestamp must sit, since the server's bounds are ambiguous.
    public static let windowPaddingSeconds: Int64 = 1
}
