import Foundation

/// What a run did, for the end-of-run summary on stdout and `--summary-json`. The JSON field names
/// (snake_case of these property names) are a stable interface, documented in the README.
public struct RunSummary: Sendable, Codable, Hashable {
    public struct InputSummary: Sendable, Codable, Hashable {
        public var path: String
        public var format: String
        public var kind: String
        public var kindInferred: Bool
        public var idColumn: String
        public var timeColumn: String?
        public var rows: Int
        public var records: Int
        public var duplicates: Int
        public var rejected: Int
        public var rejectedByReason: [String: Int]
        public var rejectsPath: String?
        /// Rows that failed `--where` (with a filter only).
        public var filteredOut: Int?
        /// This input's delivered ids: created by the import, already in the queue, not found.
        public var verification: ReconciliationCounts?
    }

    public struct KindSummary: Sendable, Codable, Hashable {
        public var records: Int
        public var duplicates: Int
        public var rejected: Int
    }

    public struct PlanSummary: Sendable, Codable, Hashable {
        public var requests: Int
        public var lowerBound: Int
        public var sources: Int
        public var records: Int
        public var recordsPerRequestMin: Int
        public var recordsPerRequestMean: Double
        public var recordsPerRequestMax: Int
        public var earliest: String?
        public var latest: String?
    }

    public struct DeliverySummary: Sendable, Codable, Hashable {
        public var requestsTotal: Int
        public var requestsDone: Int
        public var requestsDoneBefore: Int
        public var requestsPending: Int
        public var recordsCreated: Int
        public var recordsAlreadyPresent: Int
        public var retries: Int
        public var rateLimited: Int
        public var serverErrors: Int
        public var rejectedRecords: Int
        public var outcome: String
    }

    /// How every delivered id was settled (`--verify`): per kind, and the groups none of whose ids
    /// were found.
    public struct VerificationSummary: Sendable, Codable, Hashable {
        public var mode: String
        /// Whether the queue was listed (`auto` lists only when some id was not confirmed by a 201).
        public var listed: Bool
        public var queuedRecords: Int
        public var created: Int
        public var alreadyPresent: Int
        public var notFound: Int
        public var unconfirmed: Int
        public var kinds: [String: ReconciliationCounts]
        /// e.g. `span ids of project P`
        public var groupsNoneFound: [String]
        public var missingPath: String?
    }

    public var toolVersion: String
    public var queueID: String
    public var dryRun: Bool
    public var inputs: [InputSummary] = []
    public var kinds: [String: KindSummary] = [:]
    public var plan: PlanSummary?
    /// How the records were selected (`--where`, `--sample`, ...), when they were.
    public var selection: SelectionReport?
    /// `--selection-out`: where the picked records were written.
    public var selectionPath: String?
    public var preflight: PreflightSummary?
    public var delivery: DeliverySummary?
    public var verification: VerificationSummary?
    public var elapsedSeconds: Double = 0
    public var journalPath: String?
    public var planPath: String?
    public var serverRejectsPath: String?
    public var endpoint: String?
    public var endpointSource: String?
    public var keySource: String?
    public var exitCode: Int32 = 0

    public init(toolVersion: String, queueID: String, dryRun: Bool) {
        self.toolVersion = toolVersion
        self.queueID = queueID
        self.dryRun = dryRun
    }

    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// Reads what `jsonData` wrote. Foundation's `convertFromSnakeCase` does not invert
    /// `convertToSnakeCase` here: `queue_id` would come back as `queueId`, not `queueID`, and the keys of
    /// the dictionaries (reason codes such as `missing_id`, kind names) would be rewritten as if they
    /// named properties.
    public static func decode(_ data: Data) throws -> RunSummary {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .custom { path in
            let key = path[path.count - 1]
            if path.count >= 2, dictionaryProperties.contains(path[path.count - 2].stringValue) { return key }
            return SummaryKey(propertyName(key.stringValue))
        }
        return try decoder.decode(RunSummary.self, from: data)
    }

    /// The properties that hold dictionaries keyed by data, in either spelling.
    private static let dictionaryProperties: Set<String> = ["rejectedByReason", "rejected_by_reason", "kinds"]

    /// A snake-case key as the property it was written from: `queue_id` is `queueID`, the way this
    /// code base spells an id.
    static func propertyName(_ key: String) -> String {
        let words = key.split(separator: "_", omittingEmptySubsequences: true)
        guard let first = words.first, words.count > 1 else { return key }
        return String(first)
            + words.dropFirst().map { word in word == "id" ? "ID" : word.prefix(1).uppercased() + word.dropFirst() }
            .joined()
    }

    private struct SummaryKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
