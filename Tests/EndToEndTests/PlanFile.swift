import Foundation

/// A plan written by `--plan-out`, parsed, with the API's rules checked independently of the planner.
struct PlanFile {
    struct Entry {
        var requestID: String
        var path: String
        var sources: [[String: Any]]
    }

    var entries: [Entry] = []

    init(contentsOf url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        for line in text.split(separator: "\n") where !line.isEmpty {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let body = object["body"] as! [String: Any]
            entries.append(
                Entry(
                    requestID: object["request_id"] as! String, path: object["path"] as! String,
                    sources: body["record_sources"] as! [[String: Any]]))
        }
    }

    static let idsField = [
        "SPAN": "span_ids", "TRACE": "trace_ids", "SESSION": "session_ids", "EXAMPLE": "example_ids",
    ]

    /// Every id in the plan as "TYPE scope id".
    var allIDs: [String] {
        entries.flatMap { entry in
            entry.sources.flatMap { source -> [String] in
                let type = source["record_type"] as! String
                let scope = (source["project_id"] ?? source["dataset_id"]) as! String
                return (source[Self.idsField[type]!] as! [String]).map { "\(type) \(scope) \($0)" }
            }
        }
    }

    /// The rules of shared/api/README.md, one message per violation.
    func violations() -> [String] {
        var problems: [String] = []
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        func date(_ s: String) -> Date? { formatter.date(from: s) ?? plain.date(from: s) }
        for (n, entry) in entries.enumerated() {
            if !(1...2).contains(entry.sources.count) {
                problems.append("request \(n): \(entry.sources.count) sources")
            }
            var records = 0
            var sessions = 0
            for source in entry.sources {
                let type = source["record_type"] as! String
                guard let ids = source[Self.idsField[type] ?? ""] as? [String] else {
                    problems.append("request \(n): no ids")
                    continue
                }
                records += ids.count
                if type == "SESSION" { sessions += ids.count }
                if ids.contains("") { problems.append("request \(n): empty id") }
                if type != "EXAMPLE" {
                    guard let start = source["start_time"] as? String, let end = source["end_time"] as? String,
                        start.hasSuffix("Z"), end.hasSuffix("Z"), let a = date(start), let b = date(end)
                    else {
                        problems.append("request \(n): bad window")
                        continue
                    }
                    if !(a < b) { problems.append("request \(n): start not before end") }
                    if b.timeIntervalSince(a) > 7 * 86400 { problems.append("request \(n): window over 7 days") }
                }
            }
            if records > 500 { problems.append("request \(n): \(records) records") }
            if sessions > 100 { problems.append("request \(n): \(sessions) sessions") }
        }
        return problems
    }
}
