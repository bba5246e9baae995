import Testing

@testable import AQImportCore

@Suite struct ProgressLineTests {
    static let busy = ProgressSnapshot(
        recordsDelivered: 12_500, recordsTotal: 100_000, requestsDone: 25, requestsTotal: 200, retries: 3,
        rateLimited: 2, rejected: 1, recordsPerSecond: 340)

    @Test func theFullLine() {
        #expect(
            ProgressLine.render(Self.busy)
                == "records 12,500/100,000 (12.5%)  requests 25/200  340 rec/s  ETA 4m17s  retries 3  429s 2  rejected 1"
        )
    }

    @Test func resumedRunsSaySo() {
        var snapshot = Self.busy
        snapshot.requestsDoneBefore = 40
        snapshot.recordsDoneBefore = 20_000
        #expect(ProgressLine.render(snapshot).hasSuffix("rejected 1  (resumed: 40 requests done before)"))
        snapshot.requestsDoneBefore = 1
        #expect(ProgressLine.render(snapshot).hasSuffix("(resumed: 1 request done before)"))
    }

    @Test func noRateMeansNoRateAndNoETA() {
        var snapshot = Self.busy
        snapshot.recordsPerSecond = nil
        let unknown = ProgressLine.render(snapshot)
        #expect(!unknown.contains("rec/s"))
        #expect(!unknown.contains("ETA"))
        snapshot.recordsPerSecond = 0
        let stalled = ProgressLine.render(snapshot)
        #expect(stalled.contains("  0.0 rec/s  "))
        #expect(!stalled.contains("ETA"))
    }

    @Test func finishedRunHasNoETA() {
        let snapshot = ProgressSnapshot(
            recordsDelivered: 999, recordsTotal: 1000, requestsDone: 2, requestsTotal: 2, rejected: 1,
            recordsPerSecond: 50)
        let line = ProgressLine.render(snapshot)
        #expect(line.hasPrefix("records 999/1,000 (99.9%)  requests 2/2  50 rec/s  retries 0  429s 0  rejected 1"))
        #expect(!line.contains("ETA"))
    }

    @Test func emptyTotals() {
        #expect(ProgressLine.render(ProgressSnapshot()) == "records 0/0  requests 0/0  retries 0  429s 0  rejected 0")
    }

    @Test(arguments: [
        (0.0, "0s"), (0.2, "0s"), (0.6, "1s"), (59.0, "59s"), (60.0, "1m00s"), (257.0, "4m17s"), (3599.0, "59m59s"),
        (3600.0, "1h00m"), (7500.0, "2h05m"), (400_000.0, ">99h"),
    ])
    func durations(seconds: Double, text: String) {
        #expect(ProgressLine.duration(seconds) == text)
    }

    @Test(arguments: [(0, "0"), (999, "999"), (1000, "1,000"), (1_234_567, "1,234,567"), (-4200, "-4,200")])
    func grouping(number: Int, text: String) {
        #expect(ProgressLine.grouped(number) == text)
    }

    @Test func percentNeverRoundsUpToAHundred() {
        #expect(ProgressLine.percent(99_999, of: 100_000) == "99.9%")
        #expect(ProgressLine.percent(100_000, of: 100_000) == "100.0%")
        #expect(ProgressLine.percent(1, of: 3) == "33.3%")
    }

    @Test func slowRatesKeepADecimal() {
        #expect(ProgressLine.rateText(2.54) == "2.5")
        #expect(ProgressLine.rateText(12.4) == "12")
        #expect(ProgressLine.rateText(1234.6) == "1,235")
    }

    @Test func narrowTerminalsDropTheLeastUsefulPartsFirst() {
        var snapshot = Self.busy
        snapshot.retries = 0
        snapshot.requestsDoneBefore = 40
        let full = ProgressLine.render(snapshot)
        for width in [20, 40, 60, 80, 100, 200] {
            let line = ProgressLine.render(snapshot, width: width)
            #expect(line.count <= width - 1, "width \(width): \(line)")
            #expect(line.hasPrefix("records"))
        }
        let eighty = ProgressLine.render(snapshot, width: 80)
        #expect(eighty == "records 12,500/100,000 (12.5%)  requests 25/200  ETA 4m17s  rejected 1")
        #expect(
            ProgressLine.render(snapshot, width: 100)
                == "records 12,500/100,000 (12.5%)  requests 25/200  340 rec/s  ETA 4m17s  429s 2  rejected 1")
        #expect(ProgressLine.render(snapshot, width: 200) == full)
        #expect(ProgressLine.render(snapshot, width: 10) == "records 1")
    }

    @Test func colorMarksProblemsOnly() {
        let colored = ProgressLine.render(Self.busy, color: true)
        #expect(colored.contains("\u{1B}[31mrejected 1\u{1B}[0m"))
        #expect(colored.contains("\u{1B}[33m429s 2\u{1B}[0m"))
        #expect(!ProgressLine.render(Self.busy, color: false).contains("\u{1B}"))
        let clean = ProgressSnapshot(recordsDelivered: 5, recordsTotal: 10, requestsDone: 1, requestsTotal: 2)
        #expect(!ProgressLine.render(clean, color: true).contains("\u{1B}"))
    }

    @Test func elapsedOnRequest() {
        var snapshot = Self.busy
        snapshot.elapsed = .seconds(125)
        #expect(ProgressLine.render(snapshot, showElapsed: true).contains("requests 25/200  elapsed 2m05s  340 rec/s"))
    }
}
