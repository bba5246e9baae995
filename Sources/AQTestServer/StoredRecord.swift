import Foundation

/// A record in a queue: what was asked for, numbered in creation order across the whole double.
struct StoredRecord: Sendable {
    var number: Int
    var kind: RecordKind
    var scope: String
    var sourceID: String
    /// The source's start time from the catalogue, in nanoseconds since the epoch; nil without a catalogue.
    var startTime: Int64? = nil
    /// For a span, the trace and session the catalogue names for it.
    var traceID: String? = nil
    var sessionID: String? = nil

    static let idPrefix = "AnnotationQueueRecord:"

    var id: String {
        Data("\(Self.idPrefix)\(number)".utf8).base64EncodedString()
    }

    /// The number inside a record id this double issued, or nil for any other text.
    static func number(fromID id: String) -> Int? {
        guard let data = Data(base64Encoded: id), let text = String(data: data, encoding: .utf8),
            text.hasPrefix(idPrefix), let number = Int(text.dropFirst(idPrefix.count)), number > 0
        else { return nil }
        return number
    }

    /// The `AnnotationQueueRecord` the API answers with: every spec-required field, uppercase enums, the source
    /// id in `data` under the export column name for its kind, a span's `context.trace_id` and
    /// `attributes.session.id` when the catalogue names them, and `start_time` as epoch-millisecond text when
    /// the catalogue knows it.
    func json(queueID: String) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .string(id)),
            ("annotation_queue_id", .string(queueID)),
            ("source_type", .string(kind == .example ? "DATASET" : "SPANS")),
        ]
        if kind != .example { members.append(("granularity", .string(kind.rawValue))) }
        var data: [(String, JSONValue)] = [(kind.dataKey, .string(sourceID))]
        if let traceID { data.append(("context.trace_id", .string(traceID))) }
        if let sessionID { data.append(("attributes.session.id", .string(sessionID))) }
        if let startTime {
            let millis = startTime >= 0 ? startTime / 1_000_000 : (startTime - 999_999) / 1_000_000
            data.append(("start_time", .string(String(millis))))
        }
        members += [
            ("data", .object(data)),
            ("annotations", .array([])),
            ("trace_annotations", .array([])),
            ("session_annotations", .array([])),
            ("evaluations", .array([])),
            ("assigned_users", .array([])),
        ]
        return .object(members)
    }
}
