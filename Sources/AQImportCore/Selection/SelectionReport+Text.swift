import Foundation

extension SelectionReport {
    /// The report as the summary prints it.
    public var lines: [String] {
        var out = ["Selection"]
        var given: [String] = []
        if let filter { given.append("--where \(ShellQuoting.quote(filter))") }
        if let onePer { given.append("--one-per \(onePer)") }
        if let sample { given.append("--sample \(sample)") }
        if let stratifyBy { given.append("--stratify-by \(ShellQuoting.quote(stratifyBy))") }
        if let perStratum { given.append("--per-stratum \(perStratum)") }
        for queue in excludeQueues { given.append("--exclude-queue \(ShellQuoting.quote(queue))") }
        given.append("--seed \(seed)")
        out.append("  " + given.joined(separator: " "))
        if filter != nil { out.append("  filtered out \(filteredOut) rows") }
        if withoutUnit > 0 {
            out.append("  \(withoutUnit) records name no \(onePer ?? "unit") id and stand for none")
        }
        if !excludeQueues.isEmpty {
            out.append("  the excluded queues hold \(excludedQueueRecords) units")
        }
        let unitWord = onePer.map { "\($0)s" } ?? "records"
        func row(_ label: String, _ population: Int, _ excluded: Int, _ asked: Int?, _ picked: Int, _ shortfall: Int)
            -> String
        {
            let rate = population == 0 ? 0 : Double(picked) / Double(population) * 100
            var text = "\(label): population \(population), excluded \(excluded)"
            if let asked { text += ", asked \(asked)" }
            text += ", picked \(picked)"
            if shortfall > 0 { text += ", SHORT by \(shortfall)" }
            return text + ", rate " + String(format: "%.2f%%", rate)
        }
        if stratifyBy != nil {
            for stratum in strata {
                out.append(
                    "  "
                        + row(
                            stratum.label, stratum.population, stratum.excluded, stratum.asked, stratum.picked,
                            stratum.shortfall))
            }
        }
        out.append("  " + row("all \(unitWord)", population, excluded, asked, picked, shortfall))
        return out
    }
}
