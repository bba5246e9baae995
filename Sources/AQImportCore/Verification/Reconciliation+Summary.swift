extension RunSummary.VerificationSummary {
    public init(_ result: Reconciliation, mode: VerifyMode, missingPath: String? = nil) {
        let total = result.total
        self.init(
            mode: mode.rawValue, listed: result.listed, queuedRecords: result.queuedRecords, created: total.created,
            alreadyPresent: total.alreadyPresent, notFound: total.notFound, unconfirmed: total.unconfirmed,
            kinds: Dictionary(uniqueKeysWithValues: result.perKind.map { ($0.key.rawValue, $0.value) }),
            groupsNoneFound: result.groupsWithNoneFound.map { group in
                "\(result.perGroup[group]?.notFound ?? 0) \(group.kind.rawValue) ids of \(group.scope.description)"
            },
            missingPath: missingPath)
    }
}
