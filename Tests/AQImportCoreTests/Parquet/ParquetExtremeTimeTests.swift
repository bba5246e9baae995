import Foundation
import Testing

@testable import AQImportCore

/// Typed times at the ends of what an Int64 holds are judged, not trapped on: the earliest instant an
/// Int64 of nanoseconds holds once crashed the RFC 3339 rendering the reader judges it by.
@Suite("Parquet extreme times")
struct ParquetExtremeTimeTests {
    @Test("ns timestamps from Int64.min to Int64.max: out of range where CSV says so, with the same text")
    func extremes() throws {
        guard ParquetTestSupport.python != nil else {
            print("skipped: \(ParquetTestSupport.PythonMissing())")
            return
        }
        let dir = try ParquetTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let times: [Int64] = [
            Int64.min, -1, 0, 1_000_000_000, 1_768_435_203_658_803_856,
            Timestamp.latestAccepted.nanosecondsSinceEpoch + 1, Int64.max,
        ]
        let ids = times.indices.map { String(format: "%016x", $0 + 1) }
        try ParquetTestSupport.runPython(
            """
            import pyarrow as pa, pyarrow.parquet as pq
            ids = \(ids)
            times = \(times)
            pq.write_table(pa.table({"context.span_id": pa.array(ids),
                                     "start_time": pa.array(times, pa.timestamp("ns", tz="UTC"))}), "t.parquet")
            """, in: dir)
        let result = try ParquetTestSupport.read(path: dir.appendingPathComponent("t.parquet").path)
        #expect(result.records.map(\.id.text) == [ids[3], ids[4]])
        #expect(result.records.map { $0.timestamp?.nanosecondsSinceEpoch } == [times[3], times[4]])
        #expect(
            result.rejections.map(\.reason) == [
                .timestampOutOfRange("1677-09-21T00:12:43.145224192Z"),
                .timestampOutOfRange("1969-12-31T23:59:59.999999999Z"),
                .timestampOutOfRange("1970-01-01T00:00:00Z"),
                .timestampOutOfRange(String(times[5])), .timestampOutOfRange(String(Int64.max)),
            ])
        // The same texts read by the parser give the same judgement.
        for text in ["1677-09-21T00:12:43.145224192Z", "1969-12-31T23:59:59.999999999Z", String(Int64.max)] {
            #expect(TimestampParser.parse(text) == .outOfRange)
        }
    }
}
