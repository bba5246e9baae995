/// The catalogue with its times parsed, for quick look-ups on the request path.
struct ResolvedCatalogue: Sendable {
    struct BadTime: Error, CustomStringConvertible {
        var description: String
    }

    /// project id -> kind -> id -> nanoseconds since the epoch
    var projects: [String: [RecordKind: [String: Int64]]] = [:]
    var datasets: [String: [String]] = [:]
    var datasetMembers: [String: Set<String>] = [:]
    /// project id -> what the span and trace searches find in it
    var searchable: [String: ProjectSpans] = [:]
    /// project id -> span id -> the trace and session the catalogue names for it
    var spanRelations: [String: [String: (trace: String?, session: String?)]] = [:]

    init(_ catalogue: Catalogue) throws(BadTime) {
        for (projectID, project) in catalogue.projects {
            var kinds: [RecordKind: [String: Int64]] = [:]
            for (kind, ids) in [
                (RecordKind.span, project.spans), (.trace, project.traces), (.session, project.sessions),
            ] {
                var times: [String: Int64] = [:]
                for (id, time) in ids {
                    guard case .instant(let nanos) = RFC3339.parse(time) else {
                        throw BadTime(
                            description: "catalogue project \(projectID) \(kind.rawValue) \(id): "
                                + "'\(time)' is not an RFC 3339 date-time with an offset")
                    }
                    times[id] = nanos
                }
                kinds[kind] = times
            }
            projects[projectID] = kinds
            var relations: [String: (trace: String?, session: String?)] = [:]
            for (span, trace) in project.spanTraces { relations[span, default: (nil, nil)].trace = trace }
            for (span, session) in project.spanSessions { relations[span, default: (nil, nil)].session = session }
            if !relations.isEmpty { spanRelations[projectID] = relations }
            searchable[projectID] = ProjectSpans(times: kinds)
        }
        datasets = catalogue.datasets
        datasetMembers = catalogue.datasets.mapValues(Set.init)
    }

    /// The time of a project id, or nil when the catalogue does not know it.
    func time(of id: String, kind: RecordKind, project: String) -> Int64? {
        projects[project]?[kind]?[id]
    }
}
