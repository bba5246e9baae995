/// One validated source of an add-records request, its ids already checked against the catalogue.
struct RecordSource: Sendable {
    var kind: RecordKind
    /// Project id for SPAN/TRACE/SESSION, dataset id for EXAMPLE.
    var scope: String
    var ids: [String]
    /// Each id's start time from the catalogue (parallel to `ids`), or empty without one.
    var startTimes: [Int64?] = []
    /// For spans, the trace and session the catalogue names for each id (parallel to `ids`), or empty.
    var relations: [(trace: String?, session: String?)] = []
}
