/// Which columns of a file hold what: the kind of record, its id, its time and its scope. Worked out
/// once per file from the header (CSV) or the first object's flattened keys (NDJSON).
struct ColumnMapping: Sendable, Hashable {
    var kind: RecordKind
    var kindWasInferred: Bool
    var idColumn: String
    /// `nil` for examples and for project files without a time column (a fixed window is then given).
    var timeColumn: String?
    /// `project_id` for project kinds, `dataset_id` for examples, when the file has it.
    var scopeColumn: String?
    /// `dataset_version_id`, for examples, when the file has it.
    var versionColumn: String?

    static let idCandidates: [(RecordKind, [String])] = [
        (.span, ["context.span_id", "span_id"]),
        (.trace, ["context.trace_id", "trace_id"]),
        (.session, ["attributes.session.id", "session_id"]),
        (.example, ["id", "example_id"]),
    ]
    static let timeCandidates = ["start_time", "time", "timestamp"]

    /// The names a column list shows in an error: all of them, or the first 50 of a huge header.
    static func describe(_ columns: [String]) -> String {
        let shown = columns.prefix(50).map { $0.debugDescription }.joined(separator: ", ")
        if columns.isEmpty { return "(none)" }
        return columns.count > 50 ? "\(shown), … and \(columns.count - 50) more" : shown
    }

    /// `described`, when given, is how the error lists the columns (Parquet: each leaf with its type).
    static func resolve(
        columns: [String], options: ReadOptions, file: String, described: [String]? = nil
    ) throws -> ColumnMapping {
        var counts: [String: Int] = [:]
        for column in columns { counts[column, default: 0] += 1 }
        func has(_ name: String) -> Bool { counts[name] != nil }
        func unique(_ name: String, _ role: String) throws -> String {
            if let n = counts[name], n > 1 {
                throw InputError(
                    file: file, line: 1,
                    message: "the \(role) column \(name.debugDescription) appears \(n) times; it must appear once")
            }
            return name
        }
        func hint() -> String {
            if columns.count == 1, let only = columns.first {
                if only.contains(";") {
                    return " (the header holds one column with ';' in it: aq-import reads comma-separated files)"
                }
                if only.contains("\t") {
                    return " (the header holds one column with tabs in it: aq-import reads comma-separated files)"
                }
            }
            return ""
        }
        let shown = described.map {
            $0.prefix(50).joined(separator: ", ") + ($0.count > 50 ? ", … and \($0.count - 50) more" : "")
        }
        let columnList = "the file's columns are: \(shown ?? describe(columns))\(hint())"

        var kind: RecordKind
        let inferred: Bool
        let idColumn: String
        if let given = options.idColumn {
            guard has(given) else {
                throw InputError(
                    file: file, message: "no column \(given.debugDescription) (--id-column); \(columnList)")
            }
            idColumn = try unique(given, "id")
            if let k = options.kind {
                kind = k
                inferred = false
            } else if let k = idCandidates.first(where: { $0.1.contains(given) })?.0 {
                kind = k
                inferred = true
            } else if let k = idCandidates.first(where: { $0.1.contains(where: has) })?.0 {
                kind = k
                inferred = true
            } else {
                throw InputError(
                    file: file,
                    message:
                        "cannot tell what kind of record column \(given.debugDescription) holds: give --kind span|trace|session|example"
                )
            }
        } else if let k = options.kind {
            let names = idCandidates.first(where: { $0.0 == k })!.1
            guard let found = names.first(where: has) else {
                throw InputError(
                    file: file,
                    message:
                        "no \(k.rawValue) id column (looked for \(names.map { $0.debugDescription }.joined(separator: ", "))); give --id-column; \(columnList)"
                )
            }
            kind = k
            inferred = false
            idColumn = try unique(found, "id")
        } else {
            guard let (k, names) = idCandidates.first(where: { $0.1.contains(where: has) }) else {
                let looked = idCandidates.flatMap(\.1).map { $0.debugDescription }.joined(separator: ", ")
                throw InputError(
                    file: file,
                    message: "no id column found (looked for \(looked)); give --id-column and --kind; \(columnList)")
            }
            kind = k
            inferred = true
            idColumn = try unique(names.first(where: has)!, "id")
        }

        var timeColumn: String?
        var scopeColumn: String?
        var versionColumn: String?
        if kind.isProjectKind {
            if let given = options.timeColumn {
                guard has(given) else {
                    throw InputError(
                        file: file, message: "no column \(given.debugDescription) (--time-column); \(columnList)")
                }
                timeColumn = try unique(given, "time")
            } else if let found = timeCandidates.first(where: has) {
                timeColumn = try unique(found, "time")
            } else if options.fixedWindow == nil {
                throw InputError(
                    file: file,
                    message:
                        "no time column (looked for \"start_time\", \"time\", \"timestamp\"): give --start and --end (at most 7 days apart) for a file without times, or --time-column; \(columnList)"
                )
            }
            scopeColumn = has("project_id") ? "project_id" : nil
            if scopeColumn == nil && options.projectID == nil {
                throw InputError(
                    file: file, message: "no project id: the file has no \"project_id\" column, so give --project-id")
            }
        } else {
            scopeColumn = has("dataset_id") ? "dataset_id" : nil
            versionColumn = has("dataset_version_id") ? "dataset_version_id" : nil
            if scopeColumn == nil && options.datasetID == nil {
                throw InputError(
                    file: file, message: "no dataset id: the file has no \"dataset_id\" column, so give --dataset-id")
            }
        }
        return ColumnMapping(
            kind: kind, kindWasInferred: inferred, idColumn: idColumn, timeColumn: timeColumn,
            scopeColumn: scopeColumn, versionColumn: versionColumn)
    }
}
