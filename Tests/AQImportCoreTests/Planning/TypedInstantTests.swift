import Testing

@testable import AQImportCore

/// A typed instant (a Parquet timestamp) is judged exactly as its text would be: the same record, or
/// the same rejection with the same text.
@Suite("Typed instants")
struct TypedInstantTests {
    private static func builder(runs: Bool = false) -> RecordBuilder {
        let mapping = ColumnMapping(
            kind: .span, kindWasInferred: false, idColumn: "context.span_id", timeColumn: "start_time",
            scopeColumn: nil, versionColumn: nil)
        var options = ReadOptions()
        options.projectID = "UHJvamVjdDox"
        options.recordRuns = runs
        return RecordBuilder(mapping: mapping, options: options)
    }

    private static func outcome(_ time: FieldValue, _ builder: RecordBuilder) -> String {
        var id = Array("a1b2c3d4e5f60718".utf8)
        return id.withUnsafeBytes { idBytes in
            switch builder.build(
                id: .text(idBytes), time: time, scope: .absent, version: .absent,
                origin: RowOrigin(fileIndex: 0, line: 1))
            {
            case .record(let record): "record \(record.timestamp!.nanosecondsSinceEpoch)"
            case .rejected(let reason): "rejected \(reason)"
            case .entry(let entry, _): "record \(entry.time)"
            }
        }
    }

    @Test(
        "every instant reads as its text does",
        arguments: [
            Int64.min, -1, 0, 999_999_999, 1_000_000_000, 99_999_999_999_999_999, 100_000_000_000_000_000,
            1_768_435_203_658_803_856, Timestamp.latestAccepted.nanosecondsSinceEpoch,
            Timestamp.latestAccepted.nanosecondsSinceEpoch + 1, Int64.max,
        ])
    func sameAsText(nanos: Int64) {
        var text = Array(FieldValue.instantText(nanos).utf8)
        let viaText = text.withUnsafeBytes { Self.outcome(.text($0), Self.builder()) }
        #expect(Self.outcome(.instant(nanos), Self.builder()) == viaText)
        // A run entry's time is the record's, and a row that would be rejected is not an entry.
        #expect(Self.outcome(.instant(nanos), Self.builder(runs: true)) == viaText)
        #expect(text.withUnsafeBytes { Self.outcome(.text($0), Self.builder(runs: true)) } == viaText)
    }

    @Test("the selection sees an instant as its text")
    func selectionText() {
        #expect(RecordBuilder.selectionText(.instant(1_768_435_203_658_803_856)) == "1768435203658803856")
        #expect(RecordBuilder.selectionText(.instant(1_000_000_000)) == "1970-01-01T00:00:01Z")
    }
}
