/// The selection stage, between reading and planning: keeps the records that pass `--where`, one per
/// trace or session with `--one-per`, drops the units other queues hold, and draws a deterministic,
/// order-free sample, stratified or not.
///
/// A unit's priority is `SamplePriority` of (seed, kind, scope, id), the unit being the record, or its
/// trace or session with `--one-per`; each stratum keeps its lowest priorities (bottom-k), so memory
/// grows with the sample and the strata. Distinct records are told apart by their 64-bit priority
/// (in a `HexIDTable`, 21 to 32 bytes each, less than the plan of the same records would hold); with
/// `--one-per`, each distinct unit keeps its earliest matching span until the end.
public struct Selector {
    /// A record the selection keeps, with its stratum (and unit, with `--one-per`).
    public struct Picked: Sendable, Hashable {
        public var record: RecordRef
        /// The `--stratify-by` value; nil when the row had none or nothing is stratified.
        public var stratum: String?
        /// With `--one-per`, the trace or session id the record stands for.
        public var unit: RecordID?
    }

    /// What became of one record.
    public enum Disposition: Sendable, Hashable {
        case filteredOut
        /// The first time this record passed the filter.
        case candidate
        /// The same kind, scope and id passed before.
        case duplicate
    }

    /// How one input's values (those of `Selector.columns`, in that order) are used.
    public struct Binding: Sendable {
        let filter: WhereFilter?
        let stratumSlot: Int?
        /// nil when the record is its own unit.
        let unitSlot: Int?
    }

    private struct UnitKey: Hashable {
        var scope: Scope
        var id: RecordID
    }

    private struct UnitBest {
        var record: RecordRef
        var stratum: String?
    }

    public let options: SelectionOptions
    private let expression: WhereExpression?
    private let exclusions: ExclusionSet
    private var seen = HexIDTable()
    private var units: [UnitKey: UnitBest] = [:]
    /// One sampler per stratum, in the order met; `stratumValues` holds their values (nil: missing).
    /// Told apart by their bytes: NFC and NFD spellings of a value are two strata, as ids are two ids.
    private var samplers: [StratumSampler] = []
    private var stratumValues: [String?] = []
    /// Beyond a few strata, a sampler is found by its value here rather than by a scan.
    private var stratumIndex: [ExactText?: Int] = [:]
    private static let scannedStrata = 16
    public private(set) var filteredOut = 0
    /// With `--one-per`, records that passed the filter but name no trace (or session) id.
    public private(set) var withoutUnit = 0

    public init(options: SelectionOptions, exclusions: ExclusionSet = ExclusionSet()) throws(SelectionError) {
        if let conflict = options.conflict { throw .options(conflict) }
        self.options = options
        self.exclusions = exclusions
        do {
            expression = try options.filter.map(WhereExpression.parse)
        } catch {
            throw .syntax(error)
        }
        var names = expression?.columns ?? []
        if let name = options.stratifyBy, !names.contains(name) { names.append(name) }
        if let unit = options.onePer {
            for name in Self.unitColumns(unit) where !names.contains(name) { names.append(name) }
        }
        columns = names
    }

    /// Checks that every column the selection names is in at least one input (`columns` holds each
    /// input's columns); the error lists the columns the inputs have.
    public func check(inputColumns columns: [[String]]) throws(SelectionError) {
        var all: [String] = []
        for list in columns { for name in list where !all.contains(name) { all.append(name) } }
        for name in expression?.columns ?? [] where !all.contains(name) {
            throw .unknownColumn(flag: "--where", column: name, columns: all)
        }
        if let name = options.stratifyBy, !all.contains(name) {
            throw .unknownColumn(flag: "--stratify-by", column: name, columns: all)
        }
    }

    /// The columns whose values the readers hand over with each record, in this order (`nil` where a
    /// row or an input has none): the filter's, the stratum's, and with `--one-per` the unit's id
    /// columns by the names exports use.
    public let columns: [String]

    private static func unitColumns(_ unit: SelectionOptions.Unit) -> [String] {
        ColumnMapping.idCandidates.first { $0.0 == unit.kind }!.1
    }

    /// How one input's values are used. `file` names the input in errors, `columns` are its columns.
    public func bind(file: String, kind: RecordKind, columns inputColumns: [String], timeColumn: String?)
        throws(SelectionError) -> Binding
    {
        let slots = columns
        var filter: WhereFilter?
        if let expression {
            do {
                filter = try WhereFilter(
                    expression, source: options.filter ?? "", timeColumn: timeColumn, slots: slots)
            } catch {
                throw .syntax(error)
            }
        }
        let stratumSlot = options.stratifyBy.flatMap { slots.firstIndex(of: $0) }
        var unitSlot: Int?
        if let unit = options.onePer, unit.kind != kind {
            let looked = Self.unitColumns(unit)
            guard kind != .example, unit != .trace || kind == .span,
                let name = looked.first(where: inputColumns.contains)
            else {
                throw .missingUnitColumn(file: file, unit: unit, looked: looked, columns: inputColumns)
            }
            unitSlot = slots.firstIndex(of: name)
        }
        return Binding(filter: filter, stratumSlot: stratumSlot, unitSlot: unitSlot)
    }

    /// Offers one record, with its values of `columns`.
    public mutating func add(_ record: RecordRef, values: [String?], binding: Binding) -> Disposition {
        if let filter = binding.filter, !filter.matches(values, timestamp: record.timestamp) {
            filteredOut += 1
            return .filteredOut
        }
        let stratum = binding.stratumSlot.flatMap { values[$0] }
        let priority = priority(kind: record.kind.rawValue, scope: record.scope, id: record.id)
        let isNew = seen.insertKeepingEarliest(priority, time: 0) == nil

        if options.onePer != nil {
            let unitID: RecordID
            if let slot = binding.unitSlot {
                // A span without its trace (or session) id has no unit to stand for.
                guard let text = values[slot] else {
                    if isNew { withoutUnit += 1 }
                    return isNew ? .candidate : .duplicate
                }
                unitID = RecordID(text)
            } else {
                unitID = record.id
            }
            let key = UnitKey(scope: record.scope, id: unitID)
            if let best = units[key] {
                if Self.earlier(record, than: best.record) { units[key] = UnitBest(record: record, stratum: stratum) }
            } else {
                units[key] = UnitBest(record: record, stratum: stratum)
            }
            return isNew ? .candidate : .duplicate
        }

        if isNew {
            let excluded = exclusions.contains(kind: record.kind, id: record.id)
            offer(Picked(record: record, stratum: stratum, unit: nil), priority: priority, excluded: excluded)
        } else {
            if let k = sampler(for: stratum, creating: false) {
                samplers[k].sawAgain(priority: priority, record: record)
            }
        }
        return isNew ? .candidate : .duplicate
    }

    private var lastPrefix: (kind: String, scope: Scope, hasher: SipHash24)?

    private mutating func priority(kind: String, scope: Scope, id: RecordID) -> UInt64 {
        if let last = lastPrefix, last.kind == kind, last.scope == scope {
            return SamplePriority.of(last.hasher, id: id)
        }
        let prefix = SamplePriority.prefix(seed: options.seed, kind: kind, scope: scope)
        lastPrefix = (kind, scope, prefix)
        return SamplePriority.of(prefix, id: id)
    }

    /// Earliest time first (a record without one is later than any), then the smaller id.
    private static func earlier(_ a: RecordRef, than b: RecordRef) -> Bool {
        switch (a.timestamp, b.timestamp) {
        case (let x?, let y?) where x != y: return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return a.id < b.id
        }
    }

    private mutating func offer(_ picked: Picked, priority: UInt64, excluded: Bool) {
        let k = sampler(for: picked.stratum, creating: true)!
        samplers[k].population += 1
        if excluded {
            samplers[k].excluded += 1
        } else {
            samplers[k].offer(priority: priority, picked: picked)
        }
    }

    /// The index of the stratum's sampler, made when `creating`. Rows repeat a few values, which the
    /// readers hand over as the same strings: a scan of a few compares costs less than hashing one.
    @inline(__always)
    private mutating func sampler(for value: String?, creating: Bool) -> Int? {
        if samplers.count <= Self.scannedStrata {
            let found = stratumValues.withUnsafeBufferPointer { values -> Int? in
                for k in values.indices {
                    switch (values[k], value) {
                    case (nil, nil): return k
                    case (let a?, let b?) where ExactText.equal(a, b): return k
                    default: continue
                    }
                }
                return nil
            }
            if let found { return found }
        } else if let found = stratumIndex[value.map(ExactText.init)] {
            return found
        }
        guard creating else { return nil }
        samplers.append(StratumSampler(mode: samplerMode))
        stratumValues.append(value)
        stratumIndex[value.map(ExactText.init)] = samplers.count - 1
        return samplers.count - 1
    }

    private var samplerMode: StratumSampler.Mode {
        if let n = options.perStratum { return .lowest(n) }
        switch options.sample {
        case .count(let n): return .lowest(n)
        case .percent(let p): return .below(SamplePriority.threshold(percent: p))
        case nil: return .all
        }
    }

    /// The picked records, in a fixed order (kind, scope, time, id), and the report.
    public mutating func finish() -> (picked: [Picked], report: SelectionReport) {
        if let unit = options.onePer {
            for (key, best) in units {
                let priority = priority(kind: unit.rawValue, scope: key.scope, id: key.id)
                let excluded = exclusions.contains(kind: unit.kind, id: key.id)
                offer(
                    Picked(record: best.record, stratum: best.stratum, unit: key.id), priority: priority,
                    excluded: excluded)
            }
            units = [:]
        }
        // Missing values sort last.
        let keys = stratumValues.map { $0.map(ExactText.init) }.sorted { a, b in
            switch (a, b) {
            case (let x?, let y?): x < y
            case (.some, nil): true
            default: false
            }
        }
        var asked: [Int?] = keys.map { _ in nil }
        if let n = options.perStratum {
            asked = keys.map { _ in n }
        } else if case .count(let n) = options.sample {
            asked = Self.allocate(n, among: keys.map { samplers[stratumIndex[$0]!].available }).map { $0 }
        }
        var picked: [Picked] = []
        var rows: [SelectionReport.Stratum] = []
        for (i, key) in keys.enumerated() {
            let sampler = samplers[stratumIndex[key]!]
            let chosen = sampler.lowest(asked[i])
            picked.append(contentsOf: chosen)
            rows.append(
                SelectionReport.Stratum(
                    value: key?.string, missing: key == nil && options.stratifyBy != nil,
                    population: sampler.population,
                    excluded: sampler.excluded, asked: asked[i], picked: chosen.count,
                    shortfall: max(0, (asked[i] ?? 0) - chosen.count),
                    rate: sampler.population == 0 ? 0 : Double(chosen.count) / Double(sampler.population)))
        }
        picked.sort { a, b in
            let x = a.record
            let y = b.record
            if x.kind != y.kind { return x.kind < y.kind }
            if x.scope != y.scope { return x.scope < y.scope }
            if x.timestamp != y.timestamp { return Self.earlier(x, than: y) }
            return x.id < y.id
        }
        var askedTotal: Int?
        if let n = options.perStratum { askedTotal = n * keys.count }
        if case .count(let n) = options.sample { askedTotal = n }
        let report = SelectionReport(
            options: options, excludedQueueRecords: exclusions.count, filteredOut: filteredOut,
            withoutUnit: withoutUnit, strata: rows, asked: askedTotal)
        return (picked, report)
    }

    /// `--sample N --stratify-by C`: N shared out in proportion to what each stratum has available,
    /// by largest remainder (ties to the earlier stratum), never more than a stratum has. When all
    /// strata together have fewer than N, each is asked for all it has and the report's total falls
    /// short.
    static func allocate(_ n: Int, among available: [Int]) -> [Int] {
        let total = available.reduce(0, +)
        guard total > 0 else { return available.map { _ in 0 } }
        if total <= n { return available }
        var shares = available.map { $0 * n / total }
        var remainders = available.enumerated().map { ($0.offset, $0.element * n % total) }
        remainders.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        var left = n - shares.reduce(0, +)
        for (index, _) in remainders where left > 0 {
            if shares[index] < available[index] {
                shares[index] += 1
                left -= 1
            }
        }
        return shares
    }
}
