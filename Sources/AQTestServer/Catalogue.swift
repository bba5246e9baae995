/// What the double knows exists: span, trace and session ids per project, each with its timestamp (an RFC 3339
/// date-time with an offset), and example ids per dataset. When a catalogue is configured it is the whole
/// world: ids of a project or dataset it does not list are unknown too.
public struct Catalogue: Sendable, Codable, Equatable {
    public struct Project: Sendable, Codable, Equatable {
        /// span id -> the span's start time
        public var spans: [String: String]
        /// trace id -> the trace's (root span's) start time
        public var traces: [String: String]
        /// session id -> the session's (first span's) start time
        public var sessions: [String: String]

        public init(spans: [String: String] = [:], traces: [String: String] = [:], sessions: [String: String] = [:]) {
            self.spans = spans
            self.traces = traces
            self.sessions = sessions
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            spans = try container.decodeIfPresent([String: String].self, forKey: .spans) ?? [:]
            traces = try container.decodeIfPresent([String: String].self, forKey: .traces) ?? [:]
            sessions = try container.decodeIfPresent([String: String].self, forKey: .sessions) ?? [:]
        }
    }

    /// project id -> its ids
    public var projects: [String: Project]
    /// dataset id -> its example ids, in dataset order (a whole-dataset EXAMPLE source adds them all)
    public var datasets: [String: [String]]

    public init(projects: [String: Project] = [:], datasets: [String: [String]] = [:]) {
        self.projects = projects
        self.datasets = datasets
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        projects = try container.decodeIfPresent([String: Project].self, forKey: .projects) ?? [:]
        datasets = try container.decodeIfPresent([String: [String]].self, forKey: .datasets) ?? [:]
    }
}
