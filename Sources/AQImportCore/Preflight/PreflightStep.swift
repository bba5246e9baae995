import Logging

/// The preflight as the importer runs it, after planning and before the journal is opened (or at the
/// end of `--dry-run --check-remote`): skipped with `--no-preflight`, else every group's sample is
/// looked up and each group's line shown. The summary records what happened either way.
enum PreflightStep {
    /// How the run ends when the preflight stops it: nothing was sent.
    struct Stop: Sendable {
        var code: ImportExitCode
        var messages: [String]
    }

    /// What stops the run, or nil to go on. Ids not found: exit 2. A key refused, a server unwell or
    /// unreachable: exit 3 with the words a delivery uses, since the same command again goes on once
    /// that is fixed. An answer no retry mends (a 400 to the filter): exit 2.
    static func run(
        _ plan: Plan, delivery: DeliverySettings, transport: any HTTPTransport, logger: Logger,
        summary: inout RunSummary, onNotice: @Sendable (String) -> Void
    ) async -> Stop? {
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
            return stop(for: error, delivery: delivery)
        }
        summary.preflight = PreflightSummary(report)
        for line in report.lines { onNotice("preflight: \(line)") }
        guard report.passed else {
            return Stop(code: .nothingDone, messages: report.failedGroups.map(\.failureMessage))
        }
        return nil
    }

    static func stop(for error: RemoteError, delivery: DeliverySettings) -> Stop {
        let prefix = "preflight: the sampled ids could not be looked up; nothing was sent. "
        switch error {
        case .unauthorized(let status, _, let detail):
            let reason = DeliveryAbortReason.unauthorized(
                status: status, credentialSource: delivery.credential.source, detail: detail)
            return Stop(code: .abortedResumable, messages: [prefix + "aborted: \(reason)"])
        case .transport(.invalidRequest(let detail)), .transport(.tlsFailure(let detail)):
            return Stop(code: .nothingDone, messages: [prefix + detail])
        case .transport, .http(500..., _, _), .http(408, _, _), .http(425, _, _), .http(429, _, _):
            return Stop(
                code: .abortedResumable,
                messages: [prefix + "aborted: \(error.errorDescription ?? "\(error)"); the server looks unwell"])
        default:
            return Stop(
                code: .nothingDone,
                messages: [
                    prefix + (error.errorDescription ?? "\(error)")
                        + "; pass --no-preflight to send without the check"
                ])
        }
    }
}
