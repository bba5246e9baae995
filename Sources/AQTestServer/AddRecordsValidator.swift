/// Checks an add-records body against the contract, in this order: JSON syntax and shape (400), then each
/// source's semantic rules (422), then the request totals (422), then the catalogue (ignore or 422).
/// The first rule broken decides the answer; its detail names the rule and the source index.
struct AddRecordsValidator: Sendable {
    var catalogue: ResolvedCatalogue?
    var unknownIDs: UnknownIDPolicy

    static let maxSources = 2
    static let maxRecords = 500
    static let maxSessions = 100
    static let maxWindowNanos: Int64 = 7 * 86_400 * 1_000_000_000

    struct Result: Sendable {
        var sources: [RecordSource]
        var unknownIgnored: Int
    }

    /// A source after the shape checks, before the semantic ones.
    private struct Draft {
        var kind: RecordKind
        var scope: String
        var scopeField: String
        var ids: [String]?
        var startText: String?
        var endText: String?
        var start: RFC3339.Parsed = .invalid
        var end: RFC3339.Parsed = .invalid
    }

    func validate(body: some Collection<UInt8>) throws(Problem) -> Result {
        let document = try JSONValue.requestObject(body, fields: ["record_sources"])
        guard let sourcesValue = document["record_sources"] else {
            throw .badRequest("missing-field", "record_sources is required")
        }
        guard case .array(let sourceValues) = sourcesValue else {
            throw .badRequest("wrong-type", "record_sources must be an array, got \(sourcesValue.typeName)")
        }
        var drafts: [Draft] = []
        for (index, value) in sourceValues.enumerated() {
            drafts.append(try shape(value, index: index))
        }
        guard (1...Self.maxSources).contains(drafts.count) else {
            throw .unprocessable(
                "source-count", "record_sources: \(drafts.count) sources, a request carries 1 to \(Self.maxSources)")
        }
        for (index, draft) in drafts.enumerated() {
            try checkSemantics(draft, index: index)
        }
        var sources: [RecordSource] = []
        for (index, draft) in drafts.enumerated() {
            let ids: [String]
            if let explicit = draft.ids, !explicit.isEmpty {
                ids = explicit
            } else {
                guard let members = catalogue?.datasets[draft.scope] else {
                    throw .unprocessable(
                        "whole-dataset",
                        "record_sources[\(index)]: EXAMPLE source without example_ids adds the whole dataset "
                            + "\(draft.scope), which this double does not know (configure it in the catalogue); "
                            + "a bulk importer must send explicit example_ids")
                }
                ids = members
            }
            sources.append(RecordSource(kind: draft.kind, scope: draft.scope, ids: ids))
        }
        let total = sources.reduce(0) { $0 + $1.ids.count }
        guard total <= Self.maxRecords else {
            throw .unprocessable(
                "total-records",
                "record_sources: \(total) records in total, the limit is \(Self.maxRecords) per request")
        }
        let sessions = sources.reduce(0) { $0 + ($1.kind == .session ? $1.ids.count : 0) }
        guard sessions <= Self.maxSessions else {
            throw .unprocessable(
                "total-sessions",
                "record_sources: \(sessions) session ids in total, the limit is \(Self.maxSessions) per request")
        }
        guard let catalogue else { return Result(sources: sources, unknownIgnored: 0) }
        var ignored = 0
        for index in sources.indices {
            let known = try knownIDs(of: sources[index], draft: drafts[index], index: index, catalogue: catalogue)
            ignored += sources[index].ids.count - known.count
            sources[index].ids = known.map(\.id)
            sources[index].startTimes = known.map(\.time)
            if sources[index].kind == .span, let relations = catalogue.spanRelations[sources[index].scope] {
                sources[index].relations = known.map { relations[$0.id] ?? (nil, nil) }
            }
        }
        return Result(sources: sources, unknownIgnored: ignored)
    }

    private func knownIDs(
        of source: RecordSource, draft: Draft, index: Int, catalogue: ResolvedCatalogue
    ) throws(Problem) -> [(id: String, time: Int64?)] {
        var known: [(id: String, time: Int64?)] = []
        known.reserveCapacity(source.ids.count)
        for id in source.ids {
            let reason: String?
            var knownTime: Int64? = nil
            if source.kind == .example {
                reason =
                    catalogue.datasetMembers[source.scope]?.contains(id) == true
                    ? nil : "example id \"\(id)\" is not in dataset \(source.scope)"
            } else if let time = catalogue.time(of: id, kind: source.kind, project: source.scope) {
                knownTime = time
                if case .instant(let start) = draft.start, case .instant(let end) = draft.end,
                    time < start || time > end
                {
                    reason =
                        "\(source.kind.rawValue.lowercased()) id \"\(id)\" has its time outside the window "
                        + "\(draft.startText ?? "")..\(draft.endText ?? "")"
                } else {
                    reason = nil
                }
            } else {
                reason = "\(source.kind.rawValue.lowercased()) id \"\(id)\" is not in project \(source.scope)"
            }
            if let reason {
                if unknownIDs == .reject { throw .unprocessable("unknown-id", "record_sources[\(index)]: \(reason)") }
            } else {
                known.append((id, knownTime))
            }
        }
        return known
    }

    private func shape(_ value: JSONValue, index: Int) throws(Problem) -> Draft {
        let at = "record_sources[\(index)]"
        guard case .object(let members) = value else {
            throw .badRequest("wrong-type", "\(at) must be an object, got \(value.typeName)")
        }
        guard let typeValue = value["record_type"] else {
            throw .badRequest("missing-field", "\(at): record_type is required")
        }
        guard case .string(let typeName) = typeValue else {
            throw .badRequest("wrong-type", "\(at): record_type must be a string, got \(typeValue.typeName)")
        }
        guard let kind = RecordKind(rawValue: typeName) else {
            if RecordKind(rawValue: typeName.uppercased()) != nil {
                throw .badRequest(
                    "unknown-record-type",
                    "\(at): record_type \"\(typeName)\" must be uppercase \"\(typeName.uppercased())\"")
            }
            throw .badRequest(
                "unknown-record-type",
                "\(at): unknown record_type \"\(typeName)\" (expected SPAN, TRACE, SESSION or EXAMPLE)")
        }
        let allowed = kind.allowedFields
        for (name, _) in members where !allowed.contains(name) {
            throw .badRequest("unknown-field", "\(at): unknown field \"\(name)\" for a \(kind.rawValue) source")
        }
        for name in kind.requiredFields where value[name] == nil {
            throw .badRequest("missing-field", "\(at): \(name) is required for a \(kind.rawValue) source")
        }
        func string(_ name: String) throws(Problem) -> String? {
            guard let field = value[name] else { return nil }
            guard case .string(let text) = field else {
                throw .badRequest("wrong-type", "\(at): \(name) must be a string, got \(field.typeName)")
            }
            return text
        }
        let scopeField = kind == .example ? "dataset_id" : "project_id"
        var draft = Draft(kind: kind, scope: try string(scopeField) ?? "", scopeField: scopeField)
        if kind == .example, let version = try string("dataset_version_id"), version.isEmpty {
            throw .unprocessable("empty-id", "\(at): dataset_version_id is an empty string")
        }
        if let idsValue = value[kind.idsField] {
            guard case .array(let elements) = idsValue else {
                throw .badRequest("wrong-type", "\(at): \(kind.idsField) must be an array, got \(idsValue.typeName)")
            }
            var ids: [String] = []
            ids.reserveCapacity(elements.count)
            for (offset, element) in elements.enumerated() {
                guard case .string(let id) = element else {
                    throw .badRequest(
                        "wrong-type", "\(at): \(kind.idsField)[\(offset)] must be a string, got \(element.typeName)")
                }
                ids.append(id)
            }
            draft.ids = ids
        }
        if kind != .example {
            draft.startText = try string("start_time")
            draft.endText = try string("end_time")
            for (name, text) in [("start_time", draft.startText!), ("end_time", draft.endText!)] {
                let parsed = RFC3339.parse(text)
                if parsed == .invalid {
                    throw .badRequest("invalid-time", "\(at): \(name) \"\(text)\" is not an RFC 3339 date-time")
                }
                if name == "start_time" { draft.start = parsed } else { draft.end = parsed }
            }
        }
        return draft
    }

    private func checkSemantics(_ draft: Draft, index: Int) throws(Problem) {
        let at = "record_sources[\(index)]"
        if draft.scope.isEmpty {
            throw .unprocessable("empty-id", "\(at): \(draft.scopeField) is an empty string")
        }
        let field = draft.kind.idsField
        if let ids = draft.ids {
            let limit = draft.kind.idsLimit
            guard limit.contains(ids.count) else {
                throw .unprocessable(
                    "list-limit",
                    "\(at): \(field) has \(ids.count) ids, a \(draft.kind.rawValue) source takes "
                        + "\(limit.lowerBound) to \(limit.upperBound)")
            }
            if let empty = ids.firstIndex(where: \.isEmpty) {
                throw .unprocessable("empty-id", "\(at): \(field)[\(empty)] is an empty string")
            }
        }
        guard draft.kind != .example else { return }
        for (name, parsed, text) in [
            ("start_time", draft.start, draft.startText ?? ""), ("end_time", draft.end, draft.endText ?? ""),
        ] where parsed == .missingOffset {
            throw .unprocessable(
                "time-offset", "\(at): \(name) \"\(text)\" has no UTC offset (send e.g. 2026-01-15T00:00:00Z)")
        }
        guard case .instant(let start) = draft.start, case .instant(let end) = draft.end else { return }
        guard start < end else {
            throw .unprocessable("time-order", "\(at): start_time is not before end_time")
        }
        guard end - start <= Self.maxWindowNanos else {
            throw .unprocessable("window", "\(at): window longer than 7 days")
        }
    }
}
