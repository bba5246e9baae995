import Testing

@testable import AQImportCore

/// The selection stage on records in memory: bottom-k sampling is order-free and seed-stable, strata
/// get exactly what they are asked, `--one-per` keeps the earliest span, exclusions drop units.
@Suite struct SelectorTests {
    /// One span row: its id, trace, label and time (seconds).
    struct Row: Hashable {
        var span: String
        var trace: String
        var label: String?
        var seconds: Int64
        var kind = "LLM"
    }

    static let columns = ["context.span_id", "context.trace_id", "start_time", "label", "span_kind"]

    /// `count` spans over `count / 4` traces, labels a, b, c and a missing one in unequal shares.
    static func rows(_ count: Int, seed: UInt64 = 1) -> [Row] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { i in
            let pick = random.below(10)
            let label: String? = pick < 5 ? "a" : pick < 8 ? "b" : pick < 9 ? "c" : nil
            return Row(
                span: hex(SplitMix64.mix(UInt64(i) &+ 1)), trace: hex(SplitMix64.mix(UInt64(i / 4) &+ 1_000_000)),
                label: label, seconds: 1_772_400_000 + Int64(random.below(86_400)),
                kind: random.below(3) == 0 ? "TOOL" : "LLM")
        }
    }

    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// Runs a selector over `inputs` (each a list of rows) and returns the picks and the report.
    static func select(
        _ options: SelectionOptions, _ inputs: [[Row]], exclusions: ExclusionSet = ExclusionSet()
    ) throws -> (picked: [Selector.Picked], report: SelectionReport) {
        var selector = try Selector(options: options, exclusions: exclusions)
        try selector.check(inputColumns: inputs.map { _ in columns })
        for (index, rows) in inputs.enumerated() {
            let binding = try selector.bind(
                file: "in\(index).csv", kind: .span, columns: columns, timeColumn: "start_time")
            for (line, row) in rows.enumerated() {
                let values: [String?] = selector.columns.map { name in
                    switch name {
                    case "context.span_id": row.span
                    case "context.trace_id": row.trace
                    case "start_time": String(row.seconds)
                    case "label": row.label
                    case "span_kind": row.kind
                    default: nil
                    }
                }
                let record = RecordRef(
                    kind: .span, id: RecordID(row.span), scope: .project(id: "P"),
                    timestamp: Timestamp(secondsSinceEpoch: row.seconds),
                    origin: RowOrigin(fileIndex: index, line: line + 2))
                _ = selector.add(record, values: values, binding: binding)
            }
        }
        return selector.finish()
    }

    static func ids(_ picked: [Selector.Picked]) -> [String] { picked.map(\.record.id.text) }

    @Test func bottomKIsOrderFreeAcrossShufflesAndFiles() throws {
        let rows = Self.rows(2000)
        let options = SelectionOptions(
            filter: "span_kind = 'LLM'", sample: .count(50), stratifyBy: "label", seed: 7)
        let reference = try Self.select(options, [rows])
        #expect(reference.picked.count == 50)
        var random = SplitMix64(seed: 99)
        for trial in 0..<5 {
            let shuffled = rows.shuffled(using: &random)
            let cut = 1 + random.below(shuffled.count - 1)
            let split = trial.isMultiple(of: 2) ? [shuffled] : [Array(shuffled[cut...]), Array(shuffled[..<cut])]
            let again = try Self.select(options, split)
            #expect(Self.ids(again.picked) == Self.ids(reference.picked))
            #expect(again.report.strata == reference.report.strata)
        }
    }

    @Test func theSameSeedGivesTheSamePicksAndAnotherSeedOthers() throws {
        let rows = Self.rows(1000)
        let a = try Self.select(SelectionOptions(sample: .count(20), seed: 1), [rows])
        let b = try Self.select(SelectionOptions(sample: .count(20), seed: 1), [rows])
        let c = try Self.select(SelectionOptions(sample: .count(20), seed: 2), [rows])
        #expect(Self.ids(a.picked) == Self.ids(b.picked))
        #expect(Set(Self.ids(a.picked)) != Set(Self.ids(c.picked)))
        #expect(a.report.seed == 1)
    }

    @Test func thePicksAreTheLowestPriorities() throws {
        let rows = Self.rows(500)
        let result = try Self.select(SelectionOptions(sample: .count(10), seed: 3), [rows])
        let lowest = rows.map { row in
            (SamplePriority.of(seed: 3, kind: "span", scope: .project(id: "P"), id: row.span), row.span)
        }.sorted { $0.0 < $1.0 }.prefix(10).map(\.1)
        #expect(Set(Self.ids(result.picked)) == Set(lowest))
    }

    @Test func stratumValuesAreComparedByTheirBytes() throws {
        // café in NFC and in NFD, and U+00C5 beside U+212B: four strata, not two.
        let labels = ["caf\u{E9}", "cafe\u{301}", "\u{C5}", "\u{212B}"]
        let rows = labels.enumerated().map { i, label in
            Row(span: Self.hex(UInt64(i) + 1), trace: Self.hex(UInt64(i) + 100), label: label, seconds: 1_772_400_000)
        }
        let result = try Self.select(SelectionOptions(stratifyBy: "label", perStratum: 1), [rows])
        #expect(result.report.strata.count == 4)
        #expect(result.picked.count == 4)
        #expect(
            Set(result.report.strata.compactMap(\.value).map { Array($0.utf8) }) == Set(labels.map { Array($0.utf8) }))
    }

    @Test func perStratumTakesExactlyNFromEveryValueAndReportsShortfalls() throws {
        let rows = Self.rows(400)
        let result = try Self.select(SelectionOptions(stratifyBy: "label", perStratum: 30), [rows])
        let population = Dictionary(grouping: rows, by: \.label).mapValues(\.count)
        #expect(result.report.strata.map(\.value) == ["a", "b", "c", nil])
        for stratum in result.report.strata {
            let available = population[stratum.value]!
            #expect(stratum.population == available)
            #expect(stratum.asked == 30)
            #expect(stratum.picked == min(30, available))
            #expect(stratum.shortfall == max(0, 30 - available))
            #expect(stratum.rate == Double(stratum.picked) / Double(available))
            let picked = result.picked.filter { $0.stratum == stratum.value }
            #expect(picked.count == stratum.picked)
        }
        #expect(result.report.strata.last?.missing == true)
        // Make one stratum too small: 'c' holds about 40 rows of 400.
        let small = try Self.select(SelectionOptions(stratifyBy: "label", perStratum: 100), [rows])
        let c = try #require(small.report.strata.first { $0.value == "c" })
        #expect(c.picked == c.population && c.shortfall == 100 - c.population && c.shortfall > 0)
        #expect(small.report.shortfall == small.report.strata.reduce(0) { $0 + $1.shortfall })
    }

    @Test(arguments: [1, 7, 50, 99, 250])
    func proportionalAllocationSumsToN(n: Int) throws {
        let rows = Self.rows(600)
        let result = try Self.select(SelectionOptions(sample: .count(n), stratifyBy: "label"), [rows])
        #expect(result.picked.count == n)
        #expect(result.report.strata.reduce(0) { $0 + ($1.asked ?? 0) } == n)
        let population = Dictionary(grouping: rows, by: \.label).mapValues(\.count)
        for stratum in result.report.strata {
            let share = Double(n) * Double(population[stratum.value]!) / 600
            #expect(abs(Double(stratum.picked) - share) < 1)
        }
    }

    @Test func allocationByLargestRemainderNeverAsksMoreThanAStratumHas() {
        #expect(Selector.allocate(10, among: [5, 3, 2]) == [5, 3, 2])
        #expect(Selector.allocate(3, among: [1, 1, 1, 1]) == [1, 1, 1, 0])
        #expect(Selector.allocate(4, among: [10, 1]) == [4, 0])
        #expect(Selector.allocate(5, among: [2, 1]) == [2, 1])
        #expect(Selector.allocate(5, among: []) == [])
    }

    @Test func aSampleLargerThanThePopulationTakesAllAndFallsShort() throws {
        let rows = Self.rows(30)
        let result = try Self.select(SelectionOptions(sample: .count(50), stratifyBy: "label"), [rows])
        #expect(result.picked.count == 30)
        #expect(result.report.asked == 50 && result.report.shortfall == 20)
    }

    @Test func aPercentageKeepsNestedSubsetsWhateverTheOrder() throws {
        let rows = Self.rows(4000)
        let ten = try Self.select(SelectionOptions(sample: .percent(10)), [rows])
        let twenty = try Self.select(SelectionOptions(sample: .percent(20)), [rows.reversed()])
        #expect(Set(Self.ids(ten.picked)).isSubset(of: Set(Self.ids(twenty.picked))))
        #expect((300...500).contains(ten.picked.count))
        #expect(ten.report.strata.first?.asked == nil)
        #expect(ten.report.strata.first?.rate == Double(ten.picked.count) / 4000)
    }

    @Test func theFilterCountsWhatItDrops() throws {
        let rows = Self.rows(300)
        let result = try Self.select(SelectionOptions(filter: "span_kind = 'TOOL'"), [rows])
        let tools = rows.filter { $0.kind == "TOOL" }
        #expect(Set(Self.ids(result.picked)) == Set(tools.map(\.span)))
        #expect(result.report.filteredOut == rows.count - tools.count)
        #expect(result.report.population == tools.count)
    }

    @Test func onePerTraceKeepsTheEarliestMatchingSpanTiesToTheSmallerID() throws {
        let rows = [
            Row(span: "00000000000000b2", trace: "t1", label: "a", seconds: 200),
            Row(span: "00000000000000b1", trace: "t1", label: "b", seconds: 100, kind: "TOOL"),
            Row(span: "00000000000000a9", trace: "t1", label: "c", seconds: 150),
            Row(span: "00000000000000c2", trace: "t2", label: "a", seconds: 300),
            Row(span: "00000000000000c1", trace: "t2", label: "b", seconds: 300),
        ]
        for order in [rows, rows.reversed()] {
            let result = try Self.select(
                SelectionOptions(filter: "span_kind = 'LLM'", onePer: .trace), [Array(order)])
            #expect(Self.ids(result.picked) == ["00000000000000a9", "00000000000000c1"])
            // A unit's stratum is that of its kept span.
            #expect(result.picked.map(\.stratum) == [nil, nil])
            #expect(result.picked.map(\.unit) == [RecordID("t1"), RecordID("t2")])
            let stratified = try Self.select(
                SelectionOptions(filter: "span_kind = 'LLM'", onePer: .trace, stratifyBy: "label", perStratum: 5),
                [Array(order)])
            #expect(stratified.picked.map(\.stratum) == ["c", "b"])
            #expect(stratified.report.strata.map(\.population) == [1, 1])
        }
    }

    @Test func onePerHashesTheUnitSoTheSameTracesComeBack() throws {
        let rows = Self.rows(2000)
        let options = SelectionOptions(onePer: .trace, sample: .count(25), seed: 5)
        let forward = try Self.select(options, [rows])
        let backward = try Self.select(options, [rows.reversed()])
        #expect(Self.ids(forward.picked) == Self.ids(backward.picked))
        let traces = Set(forward.picked.compactMap { $0.unit?.text })
        #expect(traces.count == 25)
        let lowest = Set(rows.map(\.trace)).map { trace in
            (SamplePriority.of(seed: 5, kind: "trace", scope: .project(id: "P"), id: trace), trace)
        }.sorted { $0.0 < $1.0 }.prefix(25).map(\.1)
        #expect(traces == Set(lowest))
        #expect(forward.report.population == 500)
    }

    @Test func excludedUnitsAreDroppedBeforeSamplingAndCounted() throws {
        let rows = Self.rows(200)
        let all = try Self.select(SelectionOptions(onePer: .trace), [rows])
        var exclusions = ExclusionSet()
        let held = Array(Set(rows.map(\.trace)).sorted().prefix(10))
        for trace in held { exclusions.insert(kind: .trace, id: trace) }
        exclusions.insert(kind: .span, id: rows[0].span)  // another kind: no effect on traces
        let result = try Self.select(SelectionOptions(onePer: .trace), [rows], exclusions: exclusions)
        #expect(result.picked.count == all.picked.count - 10)
        let kept = Set(result.picked.compactMap { $0.unit?.text })
        #expect(kept.isDisjoint(with: held))
        #expect(result.report.excluded == 10 && result.report.population == 50)

        var spans = ExclusionSet()
        spans.insert(kind: .span, id: rows[3].span)
        let plain = try Self.select(SelectionOptions(sample: .count(500)), [rows], exclusions: spans)
        #expect(!Self.ids(plain.picked).contains(rows[3].span) && plain.picked.count == 199)
    }

    @Test func aDuplicateCountsOnceAndLendsItsEarlierTime() throws {
        var rows = Self.rows(20)
        var again = rows[4]
        again.seconds -= 500
        rows.append(again)
        let result = try Self.select(SelectionOptions(sample: .count(100)), [rows])
        #expect(result.picked.count == 20)
        let record = try #require(result.picked.first { $0.record.id.text == again.span })
        #expect(record.record.timestamp == Timestamp(secondsSinceEpoch: again.seconds))
    }

    @Test func anUnknownColumnIsAnErrorNamingTheColumns() throws {
        let selector = try Selector(options: SelectionOptions(filter: "lable = 'a'"))
        let error = try #require(throws: SelectionError.self) {
            try selector.check(inputColumns: [["a", "b"], ["b", "c"]])
        }
        #expect(
            error.description
                == "--where: no input has a column \"lable\"; the inputs' columns are: \"a\", \"b\", \"c\"")
        let strata = try Selector(options: SelectionOptions(stratifyBy: "x", perStratum: 1))
        #expect(throws: SelectionError.self) { try strata.check(inputColumns: [["a"]]) }
        // A column that only one input has is fine.
        try selector.check(inputColumns: [["a"], ["lable"]])
    }

    @Test func onePerNeedsTheUnitColumn() throws {
        let selector = try Selector(options: SelectionOptions(onePer: .trace))
        let error = try #require(throws: SelectionError.self) {
            try selector.bind(file: "s.csv", kind: .span, columns: ["span_id", "start_time"], timeColumn: "start_time")
        }
        #expect(error.description.contains("s.csv: --one-per trace needs a trace id column"))
        #expect(throws: SelectionError.self) {
            try selector.bind(file: "s.csv", kind: .session, columns: ["session_id"], timeColumn: nil)
        }
        let own = try selector.bind(file: "t.csv", kind: .trace, columns: ["trace_id"], timeColumn: nil)
        #expect(own.unitSlot == nil)
        #expect(selector.columns == ["context.trace_id", "trace_id"])
        let both = try Selector(options: SelectionOptions(filter: "x = 1 AND trace_id != 'a'", onePer: .trace))
        #expect(both.columns == ["x", "trace_id", "context.trace_id"])
        let span = try both.bind(file: "s.csv", kind: .span, columns: ["span_id", "trace_id"], timeColumn: nil)
        #expect(span.unitSlot == 1)
    }

    @Test(arguments: [
        (SelectionOptions(perStratum: 5), "--per-stratum needs --stratify-by"),
        (SelectionOptions(stratifyBy: "x"), "--stratify-by needs --sample"),
        (SelectionOptions(sample: .count(3), stratifyBy: "x", perStratum: 5), "not both"),
        (SelectionOptions(filter: "a ="), "--where: expected a column"),
    ])
    func conflictingOptionsAreRefused(options: SelectionOptions, message: String) throws {
        let error = try #require(throws: SelectionError.self) { try Selector(options: options) }
        #expect(error.description.contains(message))
    }

    @Test(arguments: [
        ("10", SelectionOptions.SampleSize.count(10)), ("2.5%", .percent(2.5)), ("100%", .percent(100)),
    ])
    func sampleSizesParse(text: String, expected: SelectionOptions.SampleSize) {
        #expect(SelectionOptions.SampleSize(argument: text) == expected)
        #expect(SelectionOptions.SampleSize(argument: text)?.description == text)
    }

    @Test(arguments: ["0", "-3", "0%", "101%", "x%", "1.5", "", "nan%"])
    func badSampleSizesDoNot(text: String) {
        #expect(SelectionOptions.SampleSize(argument: text) == nil)
    }

    @Test func sipHashMatchesTheReferenceVector() {
        // SipHash-2-4, key 00..0f, message 00..0e: the paper's test vector for 15 bytes.
        var hasher = SipHash24(k0: 0x0706_0504_0302_0100, k1: 0x0F0E_0D0C_0B0A_0908)
        hasher.append(bytes: (0..<15).map { UInt8($0) })
        #expect(hasher.finish() == 0xA129_CA61_49BE_45E5)
        var empty = SipHash24(k0: 0x0706_0504_0302_0100, k1: 0x0F0E_0D0C_0B0A_0908)
        #expect(empty.finish() == 0x726F_DB47_DD0E_0E31)
    }

    @Test func aHexIDHashesAsItsText() {
        let scope = Scope.project(id: "P")
        let prefix = SamplePriority.prefix(seed: 4, kind: "span", scope: scope)
        for text in ["00000000000000ff", "7e94428a507efb35", "ffffffffffffffff", "not-hex", "ABCDEF0123456789"] {
            #expect(
                SamplePriority.of(prefix, id: RecordID(text))
                    == SamplePriority.of(seed: 4, kind: "span", scope: scope, id: text))
        }
    }

    @Test func pinnedOptionsNameTheFlagsAndTheSeed() {
        #expect(SelectionOptions().pinned.isEmpty)
        let pinned = SelectionOptions(filter: "a = 1", sample: .count(5), excludeQueues: ["Gold", "q2"]).pinned
        #expect(pinned == ["where": "a = 1", "sample": "5", "seed": "0", "exclude-queue": "Gold\nq2"])
    }
}
