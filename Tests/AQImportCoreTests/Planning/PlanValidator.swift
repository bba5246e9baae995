import Foundation

@testable import AQImportCore

/// The one check every planner test uses: each request obeys every rule of the API, and every distinct
/// record added appears exactly once.
struct PlanValidator {
    struct Key: Hashable {
        var kind: RecordKind
        var scope: Scope
        var id: RecordID
    }

    /// Earliest timestamp per distinct record, nil when it has none.
    private(set) var expected: [Key: Int64?] = [:]
    let options: PlanOptions

    init(options: PlanOptions) {
        self.options = options
    }

    init(_ scenario: PlanScenario) {
        self.init(options: scenario.options)
        scenario.forEachRecord { add($0) }
    }

    mutating func add(_ record: RecordRef) {
        let key = Key(kind: record.kind, scope: record.scope, id: record.id)
        let time = record.kind.isProjectKind ? record.timestamp?.nanosecondsSinceEpoch : nil
        if let old = expected[key] {
            if let time, old.map({ time < $0 }) ?? true { expected[key] = time }
        } else {
            expected[key] = time
        }
    }

    /// Every broken rule, as text; empty when the plan is good. `checkBodies` also parses each body.
    func violations(_ plan: Plan, checkBodies: Bool = true) -> [String] {
        var problems: [String] = []
        var seen = Set<Key>()
        seen.reserveCapacity(expected.count)
        let week = APILimits.maxWindowSeconds * 1_000_000_000
        let pad = APILimits.windowPaddingSeconds * 1_000_000_000
        for (r, request) in plan.requests.enumerated() {
            func fail(_ text: String) { if problems.count < 20 { problems.append("request \(r): \(text)") } }
            if !(1...APILimits.maxSourcesPerRequest).contains(request.sources.count) {
                fail("\(request.sources.count) sources")
            }
            if request.recordCount > APILimits.maxRecordsPerRequest { fail("\(request.recordCount) records") }
            if request.sessionCount > APILimits.maxSessionsPerRequest { fail("\(request.sessionCount) sessions") }
            if request.id != RequestID(body: request.body) { fail("id is not the body's hash") }
            for source in request.sources {
                if source.ids.isEmpty || source.ids.count > source.kind.maxIDsPerSource {
                    fail("\(source.ids.count) ids in a \(source.kind) source")
                }
                switch (source.kind.isProjectKind, source.scope) {
                case (true, .project), (false, .dataset): break
                default: fail("\(source.kind) with \(source.scope)")
                }
                if source.kind.isProjectKind {
                    guard let window = source.window else {
                        fail("project source without window")
                        continue
                    }
                    let start = window.start.nanosecondsSinceEpoch
                    let end = window.end.nanosecondsSinceEpoch
                    if !(start < end) { fail("window start not before end") }
                    if start < 0 { fail("window starts before 1970: \(window)") }
                    if end - start > week { fail("window longer than 7 days") }
                    for id in source.ids {
                        guard let time = expected[Key(kind: source.kind, scope: source.scope, id: id)] else { continue }
                        if let time {
                            if time - start < pad || end - time < pad {
                                fail("\(id.text) at \(time) outside \(window)")
                            }
                        } else if window != options.fixedWindow {
                            fail("untimed \(id.text) not under the fixed window")
                        }
                    }
                } else if source.window != nil {
                    fail("example source with a window")
                }
                for id in source.ids {
                    if id.isEmpty { fail("empty id") }
                    let key = Key(kind: source.kind, scope: source.scope, id: id)
                    if expected[key] == nil { fail("unknown id \(id.text)") }
                    if !seen.insert(key).inserted { fail("\(id.text) sent twice") }
                }
            }
            if checkBodies { problems += Self.bodyProblems(request).map { "request \(r): \($0)" } }
        }
        if seen.count != expected.count { problems.append("\(expected.count - seen.count) records missing") }
        if plan.recordCount != expected.count {
            problems.append("plan counts \(plan.recordCount) records, expected \(expected.count)")
        }
        return problems
    }

    /// The body as the server reads it: exact fields, uppercase types, explicit ids, times ending in Z.
    static func bodyProblems(_ request: PlannedRequest) -> [String] {
        guard let json = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any],
            Set(json.keys) == ["record_sources"], let sources = json["record_sources"] as? [[String: Any]]
        else { return ["body is not {\"record_sources\": [...]}"] }
        var problems: [String] = []
        if sources.count != request.sources.count { problems.append("body has \(sources.count) sources") }
        for (source, model) in zip(sources, request.sources) {
            let type = source["record_type"] as? String
            let fields: Set<String>
            switch type {
            case "SPAN": fields = ["record_type", "project_id", "start_time", "end_time", "span_ids"]
            case "TRACE": fields = ["record_type", "project_id", "start_time", "end_time", "trace_ids"]
            case "SESSION": fields = ["record_type", "project_id", "start_time", "end_time", "session_ids"]
            case "EXAMPLE":
                fields =
                    source["dataset_version_id"] == nil
                    ? ["record_type", "dataset_id", "example_ids"]
                    : ["record_type", "dataset_id", "dataset_version_id", "example_ids"]
            default:
                problems.append("record_type \(type ?? "missing")")
                continue
            }
            if Set(source.keys) != fields { problems.append("fields \(source.keys.sorted()) for \(type!)") }
            for key in ["start_time", "end_time"] {
                if let time = source[key] as? String, !time.hasSuffix("Z") { problems.append("\(key) \(time)") }
            }
            let ids = source[model.kind.idsField] as? [String] ?? []
            if ids != model.ids.map(\.text) { problems.append("body ids differ from the source's") }
            if ids.isEmpty || ids.contains(where: \.isEmpty) { problems.append("empty id list or id") }
        }
        return problems
    }
}
