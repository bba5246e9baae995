import Testing

@testable import AQImportCore

@Suite struct ProgressRateTests {
    @Test func unknownUntilTheMinimumSpan() {
        var rate = ProgressRate(window: .seconds(10))
        rate.record(0, at: .zero)
        rate.record(500, at: .milliseconds(500))
        #expect(rate.recordsPerSecond(at: .milliseconds(500), current: 500) == nil)
        #expect(rate.recordsPerSecond(at: .seconds(2), current: 500) == 250)
    }

    @Test func slidesOverTheWindow() {
        var rate = ProgressRate(window: .seconds(10))
        // 100 records a second for 20 seconds, then 500 a second.
        for second in 0...20 { rate.record(second * 100, at: .seconds(second)) }
        #expect(rate.recordsPerSecond(at: .seconds(20), current: 2000) == 100)
        for second in 21...30 { rate.record(2000 + (second - 20) * 500, at: .seconds(second)) }
        #expect(rate.recordsPerSecond(at: .seconds(30), current: 7000) == 500)
    }

    @Test func aStallBringsTheRateToZero() {
        var rate = ProgressRate(window: .seconds(10))
        for second in 0...10 { rate.record(second * 100, at: .seconds(second)) }
        rate.record(1000, at: .seconds(25))
        #expect(rate.recordsPerSecond(at: .seconds(25), current: 1000) == 0)
    }

    @Test func staysSmall() {
        var rate = ProgressRate(window: .seconds(1))
        for tick in 0..<10_000 { rate.record(tick, at: .milliseconds(tick * 10)) }
        // One window of samples every 10 ms is about a hundred; the rest was dropped.
        #expect(rate.recordsPerSecond(at: .milliseconds(99_990), current: 9_999)! > 99)
    }
}
