/// How the sample was drawn, for the summaries, `--summary-json` and `status`: the options and the
/// seed, and per stratum its population (distinct units that passed the filter), the units other
/// queues hold, what was asked and picked, the shortfall and the selection rate, so that a reviewer's
/// results can be weighted back to the population.
public struct SelectionReport: Sendable, Codable, Hashable {
    public struct Stratum: Sendable, Codable, Hashable {
        /// The `--stratify-by` value; nil for the stratum of rows without one (`missing` is then true),
        /// and for the single stratum of an unstratified selection.
        public var value: String?
        public var missing: Bool
        public var population: Int
        public var excluded: Int
        /// How many were asked of this stratum; nil for `--sample P%` and for no sample at all.
        public var asked: Int?
        public var picked: Int
        public var shortfall: Int
        /// picked / population (0 for an empty population).
        public var rate: Double

        public var label: String { missing ? "(missing)" : value ?? "(all)" }
    }

    public var filter: String?
    public var onePer: String?
    public var sample: String?
    public var stratifyBy: String?
    public var perStratum: Int?
    public var seed: UInt64
    public var excludeQueues: [String]
    /// The units the excluded queues hold, all kinds together.
    public var excludedQueueRecords: Int
    /// Rows that failed `--where`, over all inputs.
    public var filteredOut: Int
    /// With `--one-per`, records that passed the filter without a trace (or session) id: no unit.
    public var withoutUnit: Int
    public var strata: [Stratum]
    public var population: Int
    public var excluded: Int
    /// The sample asked for in all: N of `--sample N`, or `--per-stratum` times the strata.
    public var asked: Int?
    public var picked: Int
    public var shortfall: Int

    init(
        options: SelectionOptions, excludedQueueRecords: Int, filteredOut: Int, withoutUnit: Int, strata: [Stratum],
        asked: Int?
    ) {
        filter = options.filter
        onePer = options.onePer?.rawValue
        sample = options.sample?.description
        stratifyBy = options.stratifyBy
        perStratum = options.perStratum
        seed = options.seed
        excludeQueues = options.excludeQueues
        self.excludedQueueRecords = excludedQueueRecords
        self.filteredOut = filteredOut
        self.withoutUnit = withoutUnit
        self.strata = strata
        population = strata.reduce(0) { $0 + $1.population }
        excluded = strata.reduce(0) { $0 + $1.excluded }
        picked = strata.reduce(0) { $0 + $1.picked }
        self.asked = asked
        shortfall = max(0, (asked ?? 0) - picked)
    }
}
