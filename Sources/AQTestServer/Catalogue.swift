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
        /// span id -> the trace it belongs to (`span_traces`), and -> its session (`span_sessions`): a span
        /// record's `data` names them beside `context.span_id`, as the API's listings do.
        public var spanTraces: [String: String]
        public var spanSessions: [String: String]

        enum CodingKeys: String, CodingKey {
            case spans, traces, sessions
            case spanTraces = "span_traces"
            case spanSessions = "span_sessions"
        }

        public init(
            spans: [String: String] = [:], traces: [String: String] = [:], sessions: [String: String] = [:],
            spanTraces: [String: String] = [:], spanSessions: [String: String] = [:]
        ) {
            self.spans = spans
            self.traces = traces
            self.sessions = sessions
            self.spanTraces = spanTraces
            self.spanSessions = spanSessions
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            spans = try container.decodeIfPresent([String: String].self, forKey: .spans) ?? [:]
            traces = try container.decodeIfPresent([String: String].self, forKey: .traces) ?? [:]
            sessions = try container.decodeIfPresent([String: String].self, forKey: .sessions) ?? [:]
            spanTraces = try container.decodeIfPresent([String: String].self, forKey: .spanTraces) ?? [:]
            spanSessions = try container.decodeIfPresent([String: String].self, forKey: .spanSessions) ?? [:]
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
