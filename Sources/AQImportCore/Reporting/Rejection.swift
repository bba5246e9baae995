/// Why a row (or, after delivery, an id) was turned away.
public enum RejectReason: Sendable, Hashable {
    case missingID
    case missingTimestamp
    case unreadableTimestamp(String)
    case timestampOutOfRange(String)
    case missingScope(String)
    case invalidValue(String)
    case server(status: Int, detail: String)

    /// A short stable code for grouping in summaries and for machine-readable reports.
    public var code: String {
        switch self {
        case .missingID: "missing_id"
        case .missingTimestamp: "missing_timestamp"
        case .unreadableTimestamp: "unreadable_timestamp"
        case .timestampOutOfRange: "timestamp_out_of_range"
        case .missingScope: "missing_scope"
        case .invalidValue: "invalid_value"
        case .server: "server_rejected"
        }
    }

    public var message: String {
        switch self {
        case .missingID: "missing or empty id"
        case .missingTimestamp: "missing timestamp (the file has a time column, and no --start/--end was given)"
        case .unreadableTimestamp(let value): "unreadable timestamp \(value.debugDescription)"
        case .timestampOutOfRange(let value): "timestamp out of range \(value.debugDescription)"
        case .missingScope(let what): "no scope: \(what)"
        case .invalidValue(let what): what
        case .server(let status, let detail): "server answered \(status): \(detail)"
        }
    }
}

/// The original row of a rejected record, kept so that a rejects file can be written in the input's
/// own format, fixed and fed back.
public enum OriginalRow: Sendable, Hashable {
    /// A CSV row: the file's header and the row's fields.
    case csv(header: [String], fields: [String])
    /// An NDJSON line, as it was (without its newline).
    case ndjson(line: String)
    /// A Parquet row: its scalar columns as one JSON object, written to an NDJSON rejects file with
    /// `aq_row` (the row's number in the file) where an NDJSON line gets `aq_line`.
    case parquetRow(object: String)
    /// A record known only by its kind, scope and id (a server rejection of an id).
    case record(kind: RecordKind, scope: Scope, id: String)
}

/// A row or id that will not be sent, with where it came from and why.
public struct Rejection: Sendable, Hashable {
    public var file: String
    public var line: Int
    public var reason: RejectReason
    public var original: OriginalRow

    public init(file: String, line: Int, reason: RejectReason, original: OriginalRow) {
        self.file = file
        self.line = line
        self.reason = reason
        self.original = original
    }
}
