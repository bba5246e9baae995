import Testing

@testable import AQImportCore

/// Every reader test reads its input a second time with `ReadOptions.recordRuns` (the planner's fast
/// path) and checks that the runs and single records together hold exactly the records read one by
/// one, with the same rejections and counts.
enum RecordRunAgreement {
    struct Record: Hashable {
        var kind: RecordKind
        var scope: Scope
        var id: RecordID
        var timestamp: Timestamp?
    }

    static func counted(_ records: [Record]) -> [Record: Int] {
        records.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    /// The records of a read with runs: single ones, and each run's entries.
    struct RunRead {
        var records: [Record] = []
        var rejections: [Rejection] = []
        var runs = 0
        var stats = FileReadStats()
    }

    static func read(_ reader: inout ExportReader) throws -> RunRead {
        var result = RunRead()
        result.stats = try reader.read { event in
            switch event {
            case .record(let r):
                result.records.append(Record(kind: r.kind, scope: r.scope, id: r.id, timestamp: r.timestamp))
            case .records(let run):
                result.runs += 1
                for entry in run.entries {
                    result.records.append(
                        Record(kind: run.kind, scope: run.scope, id: .hex64(entry.id), timestamp: entry.timestamp))
                }
            case .rejected(let r):
                result.rejections.append(r)
            }
        }
        return result
    }

    /// Reads again through `open` with runs on (unless `options` has them on already, or a selection)
    /// and expects what `records`, `rejections` and `stats` say.
    static func check(
        records: [RecordRef], rejections: [Rejection], stats: FileReadStats, options: ReadOptions,
        sourceLocation: SourceLocation = #_sourceLocation, open: (ReadOptions) throws -> ExportReader
    ) throws {
        guard !options.recordRuns else { return }
        var runOptions = options
        runOptions.recordRuns = true
        var reader = try open(runOptions)
        let again = try read(&reader)
        let single = records.map { Record(kind: $0.kind, scope: $0.scope, id: $0.id, timestamp: $0.timestamp) }
        #expect(counted(again.records) == counted(single), "the same records with runs", sourceLocation: sourceLocation)
        #expect(again.rejections == rejections, "the same rejections with runs", sourceLocation: sourceLocation)
        var expectedStats = stats
        expectedStats.sha256Hex = again.stats.sha256Hex
        #expect(again.stats == expectedStats, "the same counts with runs", sourceLocation: sourceLocation)
    }
}
