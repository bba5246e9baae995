import AQImportCore
import ArgumentParser

extension SelectionOptions.Unit: ExpressibleByArgument {}

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

    // Numeric options take the next word even when it starts with "-", so that `--sample -5` is refused
    // for its range rather than as a missing value.
    @Option(
        parsing: .unconditional, help: "Sample N records (or units), or P% of them, deterministically (--seed).")
    var sample: String?

    @Option(help: "Stratify the sample by this column's values (a missing value is its own stratum).")
    var stratifyBy: String?

    @Option(
        parsing: .unconditional,
        help: "With --stratify-by: N from every stratum (instead of --sample shared out in proportion).")
    var perStratum: Int?

    @Option(
        parsing: .unconditional, help: "The sampling seed (default 0): the same inputs and seed give the same sample.")
    var seed: String = "0"

    @Option(help: "Drop the units this queue already holds (id, or name with --space; repeatable).")
    var excludeQueue: [String] = []

    @Option(help: "Write the picked records (kind, scope, id, time, stratum) as NDJSON to this file.")
    var selectionOut: String?

    var options: SelectionOptions {
        SelectionOptions(
            filter: filter, onePer: onePer, sample: sample.flatMap(SelectionOptions.SampleSize.init(argument:)),
            stratifyBy: stratifyBy, perStratum: perStratum, seed: UInt64(seed) ?? 0, excludeQueues: excludeQueue)
    }

    func validate() throws {
        do throws(ConfigurationError) {
            if let sample { _ = try NumericSetting.sample(sample) }
            if let perStratum { try NumericSetting.perStratum.check(perStratum) }
            _ = try NumericSetting.seed(seed)
        } catch {
            throw ValidationError(error.localizedDescription)
        }
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
