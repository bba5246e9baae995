import Foundation
import Testing

@testable import AQImportCore

/// A clock stepped by hand and a sink that keeps what was written.
final class ProgressHarness: @unchecked Sendable {
    private let lock = NSLock()
    private var time: Duration = .zero
    private var written: [String] = []

    var now: @Sendable () -> Duration { { [self] in lock.withLock { time } } }
    var write: @Sendable (String) -> Void { { [self] text in lock.withLock { written.append(text) } } }
    var output: [String] { lock.withLock { written } }
    var text: String { output.joined() }

    func advance(_ duration: Duration) {
        lock.withLock { time += duration }
    }

    func reporter(_ mode: ProgressReporter.Mode, options: ProgressReporter.Options = .init()) -> ProgressReporter {
        ProgressReporter(mode: mode, options: options, now: now, write: write)
    }
}

@Suite struct ProgressReporterTests {
    @Test(arguments: [
        (true, false, [String: String](), ProgressReporter.Mode.terminal(color: true)),
        (true, false, ["NO_COLOR": "1"], .terminal(color: false)),
        (true, false, ["NO_COLOR": ""], .terminal(color: true)),
        (true, false, ["TERM": "dumb"], .log),
        (false, false, [:], .log),
        (true, true, [:], .quiet),
        (false, true, [:], .quiet),
    ])
    func modeFromTheStreamAndEnvironment(
        isTerminal: Bool, quiet: Bool, environment: [String: String], mode: ProgressReporter.Mode
    ) {
        #expect(ProgressReporter.mode(isTerminal: isTerminal, quiet: quiet, environment: environment) == mode)
    }

    @Test func terminalRedrawsAtMostTenTimesASecond() {
        let harness = ProgressHarness()
        let reporter = harness.reporter(.terminal(color: false))
        reporter.start(recordsTotal: 10_000, requestsTotal: 100)
        #expect(harness.output.count == 1)
        // 100 requests 10 ms apart: one second, so about ten redraws.
        for _ in 0..<100 {
            harness.advance(.milliseconds(10))
            reporter.requestFinished(records: 100)
        }
        let draws = harness.output.count - 1
        #expect(draws >= 9 && draws <= 10)
        #expect(harness.output.allSatisfy { $0.hasPrefix("\r\u{1B}[2K") && !$0.contains("\n") })
        reporter.finish()
        let last = harness.output.last!
        #expect(last.hasPrefix("\r\u{1B}[2Krecords 10,000/10,000 (100.0%)  requests 100/100"))
        #expect(last.hasSuffix("\n"))
        reporter.requestFinished(records: 1)
        reporter.finish()
        #expect(harness.output.last == last)
    }

    @Test func logModeWritesAPlainLineEveryFewSeconds() {
        let harness = ProgressHarness()
        let reporter = harness.reporter(.log, options: .init(logInterval: .seconds(5)))
        reporter.start(recordsTotal: 1000, requestsTotal: 10)
        for _ in 0..<10 {
            harness.advance(.seconds(2))
            reporter.requestFinished(records: 100)
        }
        reporter.finish()
        // 20 seconds: lines at 6 s, 12 s and 18 s (each at least 5 s after the one before), and the last.
        #expect(harness.output.count == 4)
        for line in harness.output {
            #expect(line.hasPrefix("progress: records "))
            #expect(line.hasSuffix("\n"))
            #expect(!line.contains("\r"))
            #expect(!line.contains("\u{1B}"))
        }
        #expect(harness.output[0].contains("requests 3/10  elapsed 6s"))
        #expect(harness.output.last!.contains("records 1,000/1,000 (100.0%)  requests 10/10  elapsed 20s"))
    }

    @Test func aShortRunInLogModePrintsOnlyItsLastLine() {
        let harness = ProgressHarness()
        let reporter = harness.reporter(.log)
        reporter.start(recordsTotal: 10, requestsTotal: 1)
        harness.advance(.milliseconds(300))
        reporter.requestFinished(records: 10)
        reporter.finish()
        #expect(
            harness.output == [
                "progress: records 10/10 (100.0%)  requests 1/1  elapsed 0s  retries 0  429s 0  rejected 0\n"
            ])
    }

    @Test func quietWritesNothing() {
        let harness = ProgressHarness()
        let reporter = harness.reporter(.quiet)
        reporter.start(recordsTotal: 10, requestsTotal: 1)
        harness.advance(.seconds(60))
        reporter.requestFinished(records: 10)
        reporter.tick()
        reporter.finish()
        #expect(harness.output.isEmpty)
        #expect(reporter.snapshot.recordsDelivered == 10)
    }

    @Test func aResumedRunCountsEarlierWorkAsDoneButNotInTheRate() {
        let harness = ProgressHarness()
        let reporter = harness.reporter(.terminal(color: false))
        reporter.start(recordsTotal: 10_000, requestsTotal: 100, recordsDoneBefore: 4000, requestsDoneBefore: 40)
        #expect(harness.output[0].contains("records 4,000/10,000 (40.0%)  requests 40/100"))
        #expect(harness.output[0].hasSuffix("(resumed: 40 requests done before)"))
        for _ in 0..<10 {
            harness.advance(.milliseconds(200))
            reporter.requestFinished(records: 100)
        }
        let snapshot = reporter.snapshot
        #expect(snapshot.recordsDelivered == 5000)
        #expect(snapshot.requestsDone == 50)
        #expect(snapshot.recordsPerSecond == 500)
        // 5,000 left at 500 a second.
        #expect(snapshot.secondsRemaining == 10)
        #expect(harness.output.last!.contains("500 rec/s  ETA 10s"))
    }

    @Test func ticksShowAStall() {
        let harness = ProgressHarness()
        let reporter = harness.reporter(.terminal(color: false), options: .init(rateWindow: .seconds(10)))
        reporter.start(recordsTotal: 1000, requestsTotal: 10)
        for _ in 0..<5 {
            harness.advance(.seconds(1))
            reporter.requestFinished(records: 100)
        }
        #expect(harness.output.last!.contains("100 rec/s  ETA 5s"))
        harness.advance(.seconds(30))
        reporter.tick()
        #expect(harness.output.last!.contains("0.0 rec/s"))
        #expect(!harness.output.last!.contains("ETA"))
    }

    @Test func countersAndColors() {
        let harness = ProgressHarness()
        let reporter = harness.reporter(.terminal(color: true))
        reporter.start(recordsTotal: 1000, requestsTotal: 10)
        harness.advance(.seconds(1))
        reporter.retried(rateLimited: true)
        reporter.retried()
        reporter.recordsRejected(3)
        reporter.update { $0.requestsDone += 1 }
        let snapshot = reporter.snapshot
        #expect(snapshot.retries == 2)
        #expect(snapshot.rateLimited == 1)
        #expect(snapshot.rejected == 3)
        #expect(snapshot.requestsDone == 1)
        #expect(harness.output.last!.contains("\u{1B}[33mretries 1\u{1B}[0m"))
    }

    @Test func clearTakesTheLineAwayAndTheNextUpdateRedraws() {
        let harness = ProgressHarness()
        let reporter = harness.reporter(.terminal(color: false))
        reporter.start(recordsTotal: 100, requestsTotal: 1)
        reporter.clear()
        #expect(harness.output.last == "\r\u{1B}[2K")
        reporter.clear()
        #expect(harness.output.count == 2)
        reporter.tick()
        #expect(harness.output.count == 3)
        #expect(harness.output.last!.hasPrefix("\r\u{1B}[2Krecords 0/100"))
    }

    @Test func narrowTerminalWidthIsRespected() {
        let harness = ProgressHarness()
        let reporter = harness.reporter(.terminal(color: true), options: .init(width: 40))
        reporter.start(recordsTotal: 100_000, requestsTotal: 200)
        let line = String(harness.output[0].dropFirst("\r\u{1B}[2K".count))
        #expect(line.count <= 39)
    }

    @Test func concurrentFeedingLosesNothing() async {
        let harness = ProgressHarness()
        let reporter = harness.reporter(.terminal(color: false))
        reporter.start(recordsTotal: 80_000, requestsTotal: 800)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<100 {
                        harness.advance(.milliseconds(1))
                        reporter.requestFinished(records: 100)
                        reporter.retried()
                    }
                }
            }
        }
        reporter.finish()
        let snapshot = reporter.snapshot
        #expect(snapshot.requestsDone == 800)
        #expect(snapshot.recordsDelivered == 80_000)
        #expect(snapshot.retries == 800)
        #expect(harness.output.last!.contains("records 80,000/80,000 (100.0%)  requests 800/800"))
        #expect(harness.output.allSatisfy { $0.hasPrefix("\r\u{1B}[2K") })
    }
}
