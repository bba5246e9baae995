import Logging

/// The preflight as the importer runs it, after planning and before the journal is opened (or at the
/// end of `--dry-run --check-remote`): skipped with `--no-preflight`, else every group's sample is
/// looked up and each group's line shown. The summary records what happened either way.
enum PreflightStep {
    /// The messages to stop with (exit 2, nothing sent), or nil to go on.
    static func run(
        _ plan: Plan, delivery: DeliverySettings, transport: any HTTPTransport, logger: Logger,
        summary: inout RunSummary, onNotice: @Sendable (String) -> Void
    ) async -> [String]? {
        guard delivery.preflight else {
            summary.preflight = .skippedByFlag
            onNotice("preflight skipped (--no-preflight)")
            return nil
        }
        let reader = RemoteReader(
            transport: transport, endpoint: delivery.endpoint, credential: delivery.credential,
            keySource: delivery.keySource, configuration: delivery.sender, logger: logger)
        let report: PreflightReport
        do {
            report = try await Preflight(reader: reader, concurrency: delivery.sender.concurrency).run(plan)
        } catch {
            let reason = error.errorDescription ?? "\(error)"
            summary.preflight = PreflightSummary(
                skipped: false, passed: false, groups: [], readCalls: reader.counters.reads,
                retries: reader.counters.retries, error: reason)
            return [
                "preflight: the sampled ids could not be looked up: \(reason); nothing was sent. "
                    + "Run the same command again, or pass --no-preflight to send without the check."
            ]
        }
        summary.preflight = PreflightSummary(report)
        for line in report.lines { onNotice("preflight: \(line)") }
        guard report.passed else { return report.failedGroups.map(\.failureMessage) }
        return nil
    }
}
