import Testing

@testable import AQImportCore

/// A typed instant (a Parquet timestamp) is judged exactly as its text would be: the same record, or
/// the same rejection with the same text.
@Suite("Typed instants")
struct TypedInstantTests {
    private static func builder() -> RecordBuilder {
        let mapping = ColumnMapping(
            kind: .span, kindWasInferred: false, idColumn: "context.span_id", timeColumn: "start_time",
            scopeColumn: nil, versionColumn: nil)
        var options = ReadOptions()
        options.projectID = "UHJvamVjdDox"
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
        let builder = Self.builder()
        var text = Array(FieldValue.instantText(nanos).utf8)
        let viaText = text.withUnsafeBytes { Self.outcome(.text($0), builder) }
        #expect(Self.outcome(.instant(nanos), builder) == viaText)
    }

    @Test("the selection sees an instant as its text")
    func selectionText() {
        #expect(RecordBuilder.selectionText(.instant(1_768_435_203_658_803_856)) == "1768435203658803856")
        #expect(RecordBuilder.selectionText(.instant(1_000_000_000)) == "1970-01-01T00:00:01Z")
    }
}
