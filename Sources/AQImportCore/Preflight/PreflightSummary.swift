/// The preflight in the run summary (and `--summary-json`, as `preflight`).
public struct PreflightSummary: Sendable, Codable, Hashable {
    public struct Group: Sendable, Codable, Hashable {
        public var kind: String
        public var scope: String
        public var sampled: Int
        public var found: Int
        /// False when the dataset's listing held no example at all, so that nothing could be checked.
        public var checked: Bool
    }

    /// `--no-preflight`: nothing was looked up.
    public var skipped: Bool
    /// Every group had at least half of its sample found; false also when the look-ups failed.
    public var passed: Bool
    public var groups: [Group]
    /// Read calls made (each counted once, however often it was retried).
    public var readCalls: Int
    /// Attempts that were retried (429, 5xx, dropped connections).
    public var retries: Int
    /// Why the look-ups could not be made, when they could not.
    public var error: String?

    public static let skippedByFlag = PreflightSummary(skipped: true, passed: false, groups: [], readCalls: 0)

    public init(
        skipped: Bool, passed: Bool, groups: [Group], readCalls: Int, retries: Int = 0, error: String? = nil
    ) {
        self.skipped = skipped
        self.passed = passed
        self.groups = groups
        self.readCalls = readCalls
        self.retries = retries
        self.error = error
    }

    public init(_ report: PreflightReport) {
        self.init(
            skipped: false, passed: report.passed,
            groups: report.groups.map {
                Group(
                    kind: $0.kind.rawValue, scope: $0.scope.description, sampled: $0.sampled, found: $0.found,
                    checked: !$0.unchecked)
            },
            readCalls: report.reads.reads, retries: report.reads.retries)
    }

    /// The summary's lines: a heading, then one line per group.
    public var lines: [String] {
        if skipped { return ["Preflight: skipped (--no-preflight); the ids were not looked up before sending"] }
        if let error { return ["Preflight: the sampled ids could not be looked up (\(error)); nothing was sent"] }
        let heading =
            passed
            ? "Preflight: at least half of every group's sampled ids found (\(readCalls) read call\(readCalls == 1 ? "" : "s"))"
            : "Preflight: stopped, fewer than half of a group's sampled ids found; nothing was sent"
        return [heading]
            + groups.map {
                $0.checked
                    ? "  \($0.scope): \($0.found) of \($0.sampled) sampled \($0.kind) ids found"
                    : "  \($0.scope): not checked, the dataset lists no examples (\($0.sampled) sampled example ids)"
            }
    }
}
