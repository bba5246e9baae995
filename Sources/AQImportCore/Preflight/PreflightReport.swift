/// The preflight's findings: one result per (kind, scope) group, and what the reads cost.
public struct PreflightReport: Sendable, Hashable {
    public var groups: [PreflightGroupResult]
    public var reads: RemoteReadCounters

    public init(groups: [PreflightGroupResult], reads: RemoteReadCounters) {
        self.groups = groups
        self.reads = reads
    }

    /// Every group had at least half of its sample found.
    public var passed: Bool { groups.allSatisfy(\.passed) }

    public var failedGroups: [PreflightGroupResult] { groups.filter { !$0.passed } }

    /// One line per group: `project P: 20 of 20 sampled span ids found`.
    public var lines: [String] { groups.map(\.line) }
}
