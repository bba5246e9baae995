import AQImportCore
import ArgumentParser

extension SelectionOptions.Unit: ExpressibleByArgument {}
extension SelectionOptions.SampleSize: ExpressibleByArgument {}

/// The selection flags: which records of the inputs go to the queue.
struct SelectionFlags: ParsableArguments {
    @Option(
        name: .customLong("where"),
        help: ArgumentHelp(
            "Keep the rows that match, e.g. \"eval.correctness.label = 'incorrect' AND status_code != 'OK'\".",
            valueName: "expression"))
    var filter: String?

    @Option(help: "Keep one span per trace or session: the earliest matching one.")
    var onePer: SelectionOptions.Unit?

    @Option(help: "Sample N records (or units), or P% of them, deterministically (--seed).")
    var sample: SelectionOptions.SampleSize?

    @Option(help: "Stratify the sample by this column's values (a missing value is its own stratum).")
    var stratifyBy: String?

    @Option(help: "With --stratify-by: N from every stratum (instead of --sample shared out in proportion).")
    var perStratum: Int?

    @Option(help: "The sampling seed (default 0): the same inputs and seed give the same sample.")
    var seed: UInt64 = 0

    @Option(help: "Drop the units this queue already holds (id, or name with --space; repeatable).")
    var excludeQueue: [String] = []

    @Option(help: "Write the picked records (kind, scope, id, time, stratum) as NDJSON to this file.")
    var selectionOut: String?

    var options: SelectionOptions {
        SelectionOptions(
            filter: filter, onePer: onePer, sample: sample, stratifyBy: stratifyBy, perStratum: perStratum,
            seed: seed, excludeQueues: excludeQueue)
    }

    func validate() throws {
        if let conflict = options.conflict { throw ValidationError(conflict) }
        if let filter {
            do {
                _ = try WhereExpression.parse(filter)
            } catch {
                throw ValidationError(error.description)
            }
        }
        if selectionOut != nil && !options.isActive {
            throw ValidationError("--selection-out goes with --where, --one-per, --sample or --exclude-queue")
        }
    }
}
