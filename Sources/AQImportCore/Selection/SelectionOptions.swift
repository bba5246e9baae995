/// What the selection flags ask for. The default (nothing set) selects every record, and the stage
/// is then skipped altogether.
public struct SelectionOptions: Sendable, Hashable {
    /// `--one-per trace|session`.
    public enum Unit: String, Sendable, Hashable, CaseIterable, Codable {
        case trace
        case session

        var kind: RecordKind { self == .trace ? .trace : .session }
    }

    /// `--sample N` or `--sample P%`.
    public enum SampleSize: Sendable, Hashable, CustomStringConvertible {
        case count(Int)
        case percent(Double)

        /// `N` or `P%`; nil when it is neither (a message names the flag).
        public init?(argument: String) {
            if argument.hasSuffix("%") {
                guard let p = Double(argument.dropLast()), p.isFinite, p > 0, p <= 100,
                    SelectionNumber.read(String(argument.dropLast())) != nil
                else { return nil }
                self = .percent(p)
            } else {
                guard let n = Int(argument), n > 0 else { return nil }
                self = .count(n)
            }
        }

        public var description: String {
            switch self {
            case .count(let n): "\(n)"
            case .percent(let p): p == p.rounded() ? "\(Int(p))%" : "\(p)%"
            }
        }
    }

    /// `--where`, as typed.
    public var filter: String?
    public var onePer: Unit?
    public var sample: SampleSize?
    public var stratifyBy: String?
    public var perStratum: Int?
    /// `--seed` (default 0).
    public var seed: UInt64
    /// `--exclude-queue`, as given (ids or names).
    public var excludeQueues: [String]

    public init(
        filter: String? = nil, onePer: Unit? = nil, sample: SampleSize? = nil, stratifyBy: String? = nil,
        perStratum: Int? = nil, seed: UInt64 = 0, excludeQueues: [String] = []
    ) {
        self.filter = filter
        self.onePer = onePer
        self.sample = sample
        self.stratifyBy = stratifyBy
        self.perStratum = perStratum
        self.seed = seed
        self.excludeQueues = excludeQueues
    }

    /// Whether any selection flag is given; without one the stage is skipped.
    public var isActive: Bool {
        filter != nil || onePer != nil || sample != nil || stratifyBy != nil || perStratum != nil
            || !excludeQueues.isEmpty
    }

    /// Flags that do not go together, named as the user typed them; nil when they are fine.
    public var conflict: String? {
        if perStratum != nil && stratifyBy == nil { return "--per-stratum needs --stratify-by COLUMN" }
        if stratifyBy != nil && sample == nil && perStratum == nil {
            return "--stratify-by needs --sample N|P% or --per-stratum N"
        }
        if perStratum != nil && sample != nil {
            return
                "give either --per-stratum N (the same number from every stratum) or --sample (one sample shared out in proportion), not both"
        }
        if let n = perStratum, n <= 0 { return "--per-stratum must be a positive number" }
        return nil
    }

    /// The options keyed by their flags, for the journal's plan-shaping options: only those given,
    /// and the seed whenever any is.
    public var pinned: [String: String] {
        var out: [String: String] = [:]
        guard isActive else { return out }
        out["where"] = filter
        out["one-per"] = onePer?.rawValue
        out["sample"] = sample?.description
        out["stratify-by"] = stratifyBy
        out["per-stratum"] = perStratum.map(String.init)
        out["seed"] = String(seed)
        if !excludeQueues.isEmpty { out["exclude-queue"] = excludeQueues.joined(separator: "\n") }
        return out
    }
}
