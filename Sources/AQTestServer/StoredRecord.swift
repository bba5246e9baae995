import Foundation

/// A record in a queue: what was asked for, numbered in creation order across the whole double.
struct StoredRecord: Sendable {
    var number: Int
    var kind: RecordKind
    var scope: String
    var sourceID: String

    var id: String {
        Data("AnnotationQueueRecord:\(number)".utf8).base64EncodedString()
    }

    /// The `AnnotationQueueRecord` the API answers with: every spec-required field, uppercase enums, the source
    /// id in `data` under the export column name for its kind.
    func json(queueID: String) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .string(id)),
            ("annotation_queue_id", .string(queueID)),
            ("source_type", .string(kind == .example ? "DATASET" : "SPANS")),
        ]
        if kind != .example { members.append(("granularity", .string(kind.rawValue))) }
        members += [
            ("data", .object([(kind.dataKey, .string(sourceID))])),
            ("annotations", .array([])),
            ("trace_annotations", .array([])),
            ("session_annotations", .array([])),
            ("evaluations", .array([])),
            ("assigned_users", .array([])),
        ]
        return .object(members)
    }
}
