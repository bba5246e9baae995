/// The body of `POST /v2/spans` (`{project_id, start_time, end_time, filter, included_columns}`) and of
/// `POST /v2/traces` (the same without `included_columns`). Shape errors and filters outside the subset are
/// 400; an empty project id, a time without an offset, a start after the end, or a column count outside
/// 1..1000 are 422.
struct SpanSearchRequest: Sendable {
    static let maxColumns = 1000

    var projectID: String
    var start: Int64
    var end: Int64
    var filter: SpanFilter?
    /// nil when the body names none: every column comes back.
    var includedColumns: Set<String>?

    init(body: some Collection<UInt8>, filterFields: [String], allowsColumns: Bool) throws(Problem) {
        var allowed: Set<String> = ["project_id", "start_time", "end_time", "filter"]
        if allowsColumns { allowed.insert("included_columns") }
        let document = try JSONValue.requestObject(body, fields: allowed)
        func string(_ name: String) throws(Problem) -> String? {
            guard let value = document[name], value != .null else { return nil }
            guard case .string(let text) = value else {
                throw .badRequest("wrong-type", "\(name) must be a string, got \(value.typeName)")
            }
            return text
        }
        func required(_ name: String) throws(Problem) -> String {
            guard let text = try string(name) else { throw .badRequest("missing-field", "\(name) is required") }
            return text
        }
        projectID = try required("project_id")
        let startText = try required("start_time")
        let endText = try required("end_time")
        var instants: [Int64] = []
        for (name, text) in [("start_time", startText), ("end_time", endText)] {
            switch RFC3339.parse(text) {
            case .invalid:
                throw .badRequest("invalid-time", "\(name) \"\(text)\" is not an RFC 3339 date-time")
            case .missingOffset:
                throw .unprocessable(
                    "time-offset", "\(name) \"\(text)\" has no UTC offset (send e.g. 2026-01-15T00:00:00Z)")
            case .instant(let nanos):
                instants.append(nanos)
            }
        }
        start = instants[0]
        end = instants[1]
        let filterText = try string("filter") ?? ""
        filter =
            filterText.allSatisfy(\.isWhitespace) ? nil : try SpanFilterParser.parse(filterText, fields: filterFields)
        if let value = document["included_columns"], value != .null {
            guard case .array(let elements) = value else {
                throw .badRequest("wrong-type", "included_columns must be an array, got \(value.typeName)")
            }
            var columns: Set<String> = []
            for (offset, element) in elements.enumerated() {
                guard case .string(let column) = element else {
                    throw .badRequest(
                        "wrong-type", "included_columns[\(offset)] must be a string, got \(element.typeName)")
                }
                guard !column.isEmpty else {
                    throw .unprocessable("empty-id", "included_columns[\(offset)] is an empty string")
                }
                columns.insert(column)
            }
            guard (1...Self.maxColumns).contains(elements.count) else {
                throw .unprocessable(
                    "list-limit", "included_columns has \(elements.count) columns, the limit is 1 to \(Self.maxColumns)"
                )
            }
            includedColumns = columns
        }
        guard !projectID.isEmpty else { throw .unprocessable("empty-id", "project_id is an empty string") }
        guard start <= end else { throw .unprocessable("time-order", "start_time is after end_time") }
    }
}
