import Foundation

/// The `--config FILE` format, a JSON object whose members are all optional:
///
/// ```json
/// {
///   "include_defaults": true,
///   "api_keys": ["another-key"],
///   "spaces": [{"id": "U3BhY2U6Mjpwcm9k", "name": "prod"}],
///   "queues": [{"id": "QW5ub3RhdGlvblF1ZXVlOjI6dHJpYWdl", "name": "triage",
///               "space_id": "U3BhY2U6Mjpwcm9k", "instructions": "optional"}],
///   "catalogue": {
///     "projects": {
///       "TW9kZWw6MTIzOmFCY0Q=": {
///         "spans":    {"a1b2c3d4e5f60718": "2026-01-15T12:00:00Z"},
///         "traces":   {"0123456789abcdef0123456789abcdef": "2026-01-15T12:00:00Z"},
///         "sessions": {"session-1": "2026-01-15T12:00:00+01:00"},
///         "span_traces": {"a1b2c3d4e5f60718": "0123456789abcdef0123456789abcdef"},
///         "span_sessions": {"a1b2c3d4e5f60718": "session-1"}
///       }
///     },
///     "datasets": {"RGF0YXNldDox": ["example-1", "example-2"]}
///   },
///   "unknown_ids": "ignore"
/// }
/// ```
/// `include_defaults` (default true) keeps the demo space, queue and `test-key`. With a catalogue, ids it does
/// not list (or whose time is outside the source's window) follow `unknown_ids` (`ignore` | `reject`), which
/// `--unknown-ids` overrides. The catalogue is also what `POST /v2/spans`, `POST /v2/traces` and
/// `GET /v2/datasets/{id}/examples` search (see `SearchController`), and its times become the created
/// records' `start_time`; `span_traces` and `span_sessions` give a span record's `data` the
/// `context.trace_id` and `attributes.session.id` that listings of the real API show.
public struct ConfigFile: Sendable, Codable, Equatable {
    public var includeDefaults: Bool?
    public var apiKeys: [String]?
    public var spaces: [TestServerConfiguration.Space]?
    public var queues: [TestServerConfiguration.Queue]?
    public var catalogue: Catalogue?
    public var unknownIDs: UnknownIDPolicy?

    enum CodingKeys: String, CodingKey {
        case includeDefaults = "include_defaults"
        case apiKeys = "api_keys"
        case spaces, queues, catalogue
        case unknownIDs = "unknown_ids"
    }

    public init(
        includeDefaults: Bool? = nil, apiKeys: [String]? = nil, spaces: [TestServerConfiguration.Space]? = nil,
        queues: [TestServerConfiguration.Queue]? = nil, catalogue: Catalogue? = nil,
        unknownIDs: UnknownIDPolicy? = nil
    ) {
        self.includeDefaults = includeDefaults
        self.apiKeys = apiKeys
        self.spaces = spaces
        self.queues = queues
        self.catalogue = catalogue
        self.unknownIDs = unknownIDs
    }

    public static func load(path: String) throws -> ConfigFile {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONDecoder().decode(ConfigFile.self, from: data)
    }
}
