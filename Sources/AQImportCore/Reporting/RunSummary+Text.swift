import Foundation

extension RunSummary {
    /// The end-of-run summary as a person reads it on stdout.
    public func renderText() -> String {
        var lines: [String] = []
        lines.append(dryRun ? "Dry run for queue \(queueID): nothing was sent." : "Import into queue \(queueID)")
        if let endpoint, !dryRun {
            lines.append("  endpoint \(endpoint)\(endpointSource.map { " (from \($0))" } ?? "")")
        }
        if let keySource, !dryRun { lines.append("  API key from \(keySource)") }
        for group in verification?.groupsNoneFound ?? [] {
            lines.append("NONE of the \(group) were found in the queue: check the project or dataset id and the times")
        }
        lines.append("")
        lines.append("Inputs")
        for input in inputs {
            let kindText = input.kindInferred ? "\(input.kind) (inferred from column \(input.idColumn))" : input.kind
            lines.append("  \(input.path)  [\(input.format), \(kindText)]")
            var figures = "    rows \(input.rows), records \(input.records), duplicates \(input.duplicates), "
            figures += "rejected \(input.rejected)"
            if let filteredOut = input.filteredOut { figures += ", filtered out \(filteredOut)" }
            lines.append(figures)
            for (code, count) in input.rejectedByReason.sorted(by: { $0.key < $1.key }) {
                lines.append("      \(code): \(count)")
            }
            if let path = input.rejectsPath { lines.append("    rejects written to \(path)") }
            if let c = input.verification {
                lines.append(
                    "    in the queue: created by this import \(c.created), already there \(c.alreadyPresent), "
                        + "not found \(c.notFound)" + (c.unconfirmed > 0 ? ", unconfirmed \(c.unconfirmed)" : ""))
            }
        }
        if !kinds.isEmpty {
            lines.append("")
            lines.append("Records per kind")
            for kind in RecordKind.allCases {
                guard let k = kinds[kind.rawValue] else { continue }
                lines.append(
                    "  \(kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(k.records) distinct, "
                        + "\(k.duplicates) duplicates, \(k.rejected) rejected")
            }
        }
        if let selection {
            lines.append("")
            lines += selection.lines
            if let selectionPath { lines.append("  picked records written to \(selectionPath)") }
        }
        if let plan {
            lines.append("")
            lines.append("Plan")
            lines.append(
                "  requests \(plan.requests) (lower bound L = \(plan.lowerBound)), sources \(plan.sources), records \(plan.records)"
            )
            if plan.requests > 0 {
                lines.append(
                    "  records per request: min \(plan.recordsPerRequestMin), mean "
                        + String(format: "%.1f", plan.recordsPerRequestMean) + ", max \(plan.recordsPerRequestMax)")
            }
            if let earliest = plan.earliest, let latest = plan.latest {
                lines.append("  time span \(earliest) .. \(latest)")
            }
            if let planPath { lines.append("  plan written to \(planPath)") }
        }
        if let preflight {
            lines.append("")
            lines += preflight.lines
        }
        if let delivery {
            lines.append("")
            lines.append("Delivery: \(delivery.outcome)")
            var done = "  requests \(delivery.requestsDone) of \(delivery.requestsTotal) done"
            if delivery.requestsDoneBefore > 0 { done += " (\(delivery.requestsDoneBefore) by an earlier run)" }
            if delivery.requestsPending > 0 { done += ", \(delivery.requestsPending) pending" }
            lines.append(done)
            lines.append(
                "  records created \(delivery.recordsCreated), not created \(delivery.recordsAlreadyPresent) (already in the "
                    + "queue or not found: a 200 does not say which), rejected by the server \(delivery.rejectedRecords)"
            )
            lines.append(
                "  retries \(delivery.retries), rate limited (429) \(delivery.rateLimited), server errors \(delivery.serverErrors)"
            )
            if let serverRejectsPath { lines.append("  ids the server refused written to \(serverRejectsPath)") }
        }
        if let verification {
            lines.append("")
            lines.append(
                "Verification (--verify \(verification.mode)): "
                    + (verification.listed
                        ? "listed the queue, \(verification.queuedRecords) records"
                        : "not listed, every id confirmed by a 201 or not checked"))
            func counts(_ c: ReconciliationCounts) -> String {
                var text = "created by this import \(c.created), already in the queue \(c.alreadyPresent), "
                text += "not found by the server \(c.notFound)"
                if c.unconfirmed > 0 { text += ", unconfirmed \(c.unconfirmed)" }
                return text
            }
            lines.append(
                "  "
                    + counts(
                        ReconciliationCounts(
                            created: verification.created, alreadyPresent: verification.alreadyPresent,
                            notFound: verification.notFound, unconfirmed: verification.unconfirmed)))
            if verification.kinds.count > 1 {
                for kind in RecordKind.allCases {
                    guard let c = verification.kinds[kind.rawValue] else { continue }
                    lines.append("    \(kind.rawValue): " + counts(c))
                }
            }
            if let missingPath = verification.missingPath { lines.append("  ids not found written to \(missingPath)") }
        }
        lines.append("")
        var timing = "Elapsed " + String(format: "%.2f", elapsedSeconds) + " s"
        let records = plan?.records ?? 0
        if elapsedSeconds > 0 && records > 0 {
            timing += ", " + String(format: "%.0f", Double(records) / elapsedSeconds) + " records/s"
        }
        lines.append(timing)
        if let journalPath { lines.append("Journal: \(journalPath)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
