import Foundation
import Testing

@testable import AQImportCore

/// `ReadOptions.recordRuns`: the planner's fast path hands most records as runs, which must plan, count
/// and judge rows exactly as the records one by one do.
@Suite("Record runs")
struct RecordRunTests {
    static let projects = ["UHJvamVjdDox", "UHJvamVjdDoy", "UHJvamVjdDoz"]

    /// Rows of 16-hex ids over three interleaved projects; `bad` rows have an empty id, `odd` rows an id
    /// that is not 16 hex digits.
    static func csv(rows: Int, bad: Set<Int> = [], odd: Set<Int> = []) -> String {
        var text = "context.span_id,start_time,project_id\n"
        for row in 1...rows {
            let id =
                bad.contains(row)
                ? "" : odd.contains(row) ? "span-\(row)" : RecordID.hex64(SplitMix64.mix(UInt64(row))).text
            text += "\(id),\(1_768_435_200 + row % 5_000),\(projects[row % 3])\n"
        }
        return text
    }

    static func events(_ text: String, options: ReadOptions = ReadOptions(), chunkSize: Int = 4096) throws
        -> [ReadEvent]
    {
        var runOptions = options
        runOptions.recordRuns = true
        var reader = try InputTestSupport.open(
            Array(text.utf8), format: .csv, options: runOptions, chunkSize: chunkSize)
        var events: [ReadEvent] = []
        _ = try reader.read { events.append($0) }
        return events
    }

    @Test("16-hex ids of interleaved projects come as runs of one project each, at most 1,024 long")
    func interleavedProjects() throws {
        let text = Self.csv(rows: 5_000, odd: [77])
        let events = try Self.events(text)
        var runEntries = 0
        var singles = 0
        for event in events {
            switch event {
            case .records(let run):
                #expect(run.entries.count <= RecordRunCollector.capacity)
                #expect(Self.projects.map { Scope.project(id: $0) }.contains(run.scope))
                runEntries += run.entries.count
            case .record: singles += 1
            case .rejected: Issue.record("no row is bad")
            }
        }
        // Each project's first row is judged in full (its cell is new), and so is the odd id.
        #expect(singles == 4)
        #expect(runEntries == 4_996)
        // The records agree with those read one by one (InputTestSupport checks it).
        let single = try InputTestSupport.read(text, format: .csv, options: ReadOptions())
        #expect(single.records.count == 5_000)
    }

    @Test("a rejected row comes after every record of the rows before it, with runs as without")
    func rejectsKeepTheirPlace() throws {
        let bad: Set<Int> = [10, 1_500, 1_501, 4_999]
        let events = try Self.events(Self.csv(rows: 5_000, bad: bad), chunkSize: 7)
        var recordsSoFar = 0
        var rejectedAfter: [Int] = []
        for event in events {
            switch event {
            case .records(let run): recordsSoFar += run.entries.count
            case .record: recordsSoFar += 1
            case .rejected(let rejection):
                // Line 1 is the header: row r is on line r + 1.
                #expect(recordsSoFar == rejection.line - 2 - rejectedAfter.count, "line \(rejection.line)")
                rejectedAfter.append(rejection.line)
            }
        }
        #expect(rejectedAfter == bad.sorted().map { $0 + 1 })
        #expect(recordsSoFar == 5_000 - bad.count)
    }

    @Test("rows with a selection, a version column or refusals come one record at a time")
    func runsOnlyWhereTheyFit() throws {
        var selection = ReadOptions()
        selection.selectionColumns = ["project_id"]
        #expect(
            try Self.events(Self.csv(rows: 300), options: selection).allSatisfy {
                if case .records = $0 { false } else { true }
            })
        var refused = ReadOptions()
        refused.refusedByServer = ServerRefusals([])
        #expect(
            try Self.events(Self.csv(rows: 300), options: refused).allSatisfy {
                if case .records = $0 { false } else { true }
            })
        let examples =
            "id,dataset_id,dataset_version_id\n" + (1...300).map { "\(RecordID.hex64(UInt64($0)).text),D,V\n" }.joined()
        #expect(try Self.events(examples).allSatisfy { if case .records = $0 { false } else { true } })
        let flagged = "id\n" + (1...300).map { "\(RecordID.hex64(UInt64($0)).text)\n" }.joined()
        var dataset = ReadOptions(kind: .example)
        dataset.datasetID = "D"
        dataset.datasetVersionID = "V"
        let runs = try Self.events(flagged, options: dataset).compactMap {
            if case .records(let run) = $0 { run } else { nil }
        }
        #expect(runs.map(\.entries.count).reduce(0, +) == 300)
        #expect(
            runs.allSatisfy {
                $0.scope == .dataset(id: "D", versionID: "V") && $0.entries.allSatisfy { $0.time == RecordRun.untimed }
            })
    }

    @Test("a run adds to the planner what its records add one by one: distinct, retimed, the plan")
    func plannerAddsRunsAsRecords() {
        var random = SplitMix64(seed: 7)
        let scope = Scope.project(id: "P")
        let base = Timestamp(secondsSinceEpoch: 1_768_435_200).nanosecondsSinceEpoch
        var entries: [RecordRun.Entry] = []
        for _ in 0..<20_000 {
            // Ids from a small range repeat, with other times: duplicates, some retimed.
            let id = UInt64(random.below(12_000))
            entries.append(RecordRun.Entry(id: id, time: base + Int64(random.below(20 * 86_400)) * 1_000_000_000))
        }
        // A time past the accepted range is held to it; the id 0 (kept aside by the table) comes three times.
        entries.append(RecordRun.Entry(id: 5, time: Timestamp.latestAccepted.nanosecondsSinceEpoch + 1))
        entries += [base + 9, base + 3, base + 3].map { RecordRun.Entry(id: 0, time: $0) }
        var oneByOne = Planner()
        var inserted = 0
        for entry in entries {
            let record = RecordRef(
                kind: .span, id: .hex64(entry.id), scope: scope, timestamp: entry.timestamp,
                origin: RowOrigin(fileIndex: 0, line: 1))
            if oneByOne.add(record) { inserted += 1 }
        }
        var byRuns = Planner()
        var insertedByRuns = 0
        for start in stride(from: 0, to: entries.count, by: 777) {
            let run = RecordRun(
                kind: .span, scope: scope, entries: Array(entries[start..<min(start + 777, entries.count)]))
            insertedByRuns += byRuns.add(run)
        }
        #expect(insertedByRuns == inserted)
        #expect(byRuns.distinctCount == oneByOne.distinctCount)
        #expect(byRuns.retimedCount == oneByOne.retimedCount)
        #expect(byRuns.retimedCount > 0)
        #expect(byRuns.plan().requests == oneByOne.plan().requests)
    }

    @Test("examples in runs are untimed, whatever a run entry says")
    func exampleRunsAreUntimed() {
        let scope = Scope.dataset(id: "D", versionID: nil)
        let entries = (0..<3_000).map { RecordRun.Entry(id: UInt64($0 % 2_000), time: Int64($0)) }
        var oneByOne = Planner()
        for entry in entries {
            oneByOne.add(
                RecordRef(
                    kind: .example, id: .hex64(entry.id), scope: scope, timestamp: nil,
                    origin: RowOrigin(fileIndex: 0, line: 1)))
        }
        var byRuns = Planner()
        #expect(byRuns.add(RecordRun(kind: .example, scope: scope, entries: entries)) == 2_000)
        #expect(byRuns.retimedCount == oneByOne.retimedCount)
        #expect(byRuns.plan().requests == oneByOne.plan().requests)
    }

    @Test("a percentage limit is judged at the hundredth row even when a run carries the count past it")
    func rejectLimitAtTheHundredthRow() throws {
        let dir = try InputTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("spans.csv").path
        // 40 bad rows, then 3,000 good ones: 40% at row 100, 1.3% at the end.
        try Self.csv(rows: 3_040, bad: Set(1...40)).write(toFile: path, atomically: false, encoding: .utf8)
        let configuration = ImportConfiguration(
            inputs: [path], queueID: "q", readOptions: ReadOptions(), dryRun: true, maxRejects: .percent(30),
            workingDirectory: dir.path)
        do {
            _ = try PlanBuilder(configuration: configuration).run()
            Issue.record("40 of the first 100 rows passed a 30% limit")
        } catch {
            guard case .tooManyRejects(let rejected, let rows, _) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(rejected == 40)
            #expect(rows == 100)
        }
    }
}
