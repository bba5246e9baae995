import Foundation
import Logging
import Testing

@testable import AQImportCore

@Suite struct PreflightTests {
    static let project = "UHJvamVjdDpB"
    static let dataset = "RGF0YXNldDox"
    static let t0: Int64 = PreflightSampleTests.t0

    static func preflight(
        _ api: FakeReadAPI, configuration: SenderConfiguration = SenderConfiguration(), concurrency: Int = 4
    ) -> Preflight {
        let reader = RemoteReader(
            transport: api, endpoint: Endpoint(),
            credential: APICredential(key: "ak-x", source: .environment(variable: "ARIZE_API_KEY")),
            configuration: configuration, clock: TestClock(), wallClock: { Timestamp(secondsSinceEpoch: 1_000_000) },
            random: SplitMix64(seed: 3), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        return Preflight(reader: reader, concurrency: concurrency)
    }

    /// `count` spans over `days` days, each in session `s-<n/10>` and trace `t-<n/4>`.
    static func spans(count: Int, days: Int64 = 3) -> [FakeReadAPI.Span] {
        let step = days * 86_400 / Int64(count)
        return (0..<count).map { n in
            FakeReadAPI.Span(
                spanID: String(format: "%016x", 0xA000 + n), traceID: "t-\(n / 4)", sessionID: "s-\(n / 10)",
                time: Timestamp(secondsSinceEpoch: t0 + Int64(n) * step))
        }
    }

    static func spanPlan(_ spans: [FakeReadAPI.Span], project: String = project) -> Plan {
        PreflightSampleTests.plan(
            spans.map {
                RecordRef(
                    kind: .span, id: RecordID($0.spanID), scope: .project(id: project), timestamp: $0.time,
                    origin: RowOrigin(fileIndex: 0, line: 2))
            })
    }

    @Test func knownSpansAreAllFound() async throws {
        let api = FakeReadAPI()
        let spans = Self.spans(count: 2000)
        api.spans[Self.project] = spans
        let report = try await Self.preflight(api).run(Self.spanPlan(spans))
        #expect(report.passed)
        #expect(report.lines == ["project \(Self.project): 20 of 20 sampled span ids found"])
        // One window of three days in four sources of 500: four calls, no paging.
        #expect(api.calls.count == 4)
        #expect(report.reads.reads == 4)
    }

    @Test func aWrongProjectFindsNothingAndSaysWhereItLooked() async throws {
        let api = FakeReadAPI()
        let spans = Self.spans(count: 500)
        api.spans["UHJvamVjdDpSZWFs"] = spans
        let report = try await Self.preflight(api).run(Self.spanPlan(spans))
        #expect(!report.passed)
        let group = try #require(report.failedGroups.first)
        #expect(group.line == "project \(Self.project): 0 of 20 sampled span ids found")
        let message = group.failureMessage
        #expect(message.contains("nothing was sent"))
        #expect(
            message.contains("POST /v2/spans in project \(Self.project) between 2025-12-31T23:59:59Z and 2026-01-03T"))
        #expect(message.contains("not found: \"000000000000a00c\""))
        #expect(message.contains("--project-id"))
        #expect(message.contains("start times"))
        #expect(message.contains("trace or session ids in a span id column"))
        #expect(message.contains("--no-preflight"))
    }

    @Test func timesThatAreNotStartTimesMissTheWindow() async throws {
        let api = FakeReadAPI()
        let spans = Self.spans(count: 2000)
        // The server's start times are 20 hours before the times in the export: each span falls in the
        // window of the source before its own (four sources of 18 hours), where the delivery would not
        // look for it, and neither does the preflight.
        api.spans[Self.project] = spans.map { span in
            var span = span
            span.time = Timestamp(secondsSinceEpoch: span.time.secondsSinceEpoch - 20 * 3600)
            return span
        }
        let report = try await Self.preflight(api).run(Self.spanPlan(spans))
        #expect(report.groups.map(\.found) == [0])
        #expect(!report.passed)
    }

    @Test(arguments: [(10, true), (9, false), (20, true), (0, false)])
    func halfTheSampleIsTheThreshold(known: Int, passes: Bool) async throws {
        let spans = Self.spans(count: 1000)
        let plan = Self.spanPlan(spans)
        let sampled = Set(PreflightSample.draw(from: plan)[0].lookups.flatMap(\.ids).map(\.text))
        let api = FakeReadAPI()
        // Every span but the sampled ones beyond the first `known`.
        let dropped = Set(sampled.sorted().dropFirst(known))
        api.spans[Self.project] = spans.filter { !dropped.contains($0.spanID) }
        let report = try await Self.preflight(api).run(plan)
        #expect(report.groups[0].found == known)
        #expect(report.groups[0].sampled == 20)
        #expect(report.passed == passes)
    }

    @Test func sessionsAreFoundThroughTheirSpansAcrossPages() async throws {
        let api = FakeReadAPI()
        api.pageLimit = 7
        let spans = Self.spans(count: 3000)
        api.spans[Self.project] = spans
        // Each session's time is its first span's.
        var first: [String: Timestamp] = [:]
        for span in spans where first[span.sessionID!] == nil { first[span.sessionID!] = span.time }
        let plan = PreflightSampleTests.plan(
            first.map {
                RecordRef(
                    kind: .session, id: RecordID($0.key), scope: .project(id: Self.project), timestamp: $0.value,
                    origin: RowOrigin(fileIndex: 0, line: 2))
            })
        let report = try await Self.preflight(api).run(plan)
        #expect(report.lines == ["project \(Self.project): 20 of 20 sampled session ids found"])
        #expect(report.groups[0].lookups.allSatisfy { $0.pages >= 1 })
        let body = try #require(api.calls.first?.body)
        #expect(String(decoding: body, as: UTF8.self).contains(#""filter":"attributes.session.id = 's-"#))
    }

    @Test func tracesAreLookedUpThroughTheTracesEndpoint() async throws {
        let api = FakeReadAPI()
        let times = (0..<100).map { ("trace-\($0)", Timestamp(secondsSinceEpoch: Self.t0 + Int64($0) * 60)) }
        api.traces[Self.project] = Dictionary(uniqueKeysWithValues: times.filter { $0.0 != "trace-2" })
        let plan = PreflightSampleTests.plan(
            times.map {
                RecordRef(
                    kind: .trace, id: RecordID($0.0), scope: .project(id: Self.project), timestamp: $0.1,
                    origin: RowOrigin(fileIndex: 0, line: 2))
            })
        let report = try await Self.preflight(api).run(plan)
        #expect(report.groups[0].sampled == 20)
        #expect(report.passed)
        #expect(api.calls.allSatisfy { $0.url.hasPrefix("https://api.arize.com/v2/traces?limit=500") })
    }

    @Test func examplesArePagedUntilEverySampledIdIsSeen() async throws {
        let api = FakeReadAPI()
        api.examples[Self.dataset] = (0..<1200).map { "ex-\($0)" }
        let plan = PreflightSampleTests.plan(
            PreflightSampleTests.records(.example, .dataset(id: Self.dataset, versionID: nil), count: 600, prefix: "ex")
        )
        let report = try await Self.preflight(api).run(plan)
        #expect(report.lines == ["dataset \(Self.dataset): 20 of 20 sampled example ids found"])
        // The sampled ids are among the dataset's first 600: two pages of 500; the third is never read.
        #expect(api.calls.count == 2)
        #expect(api.calls.allSatisfy { $0.method == "GET" })
    }

    @Test func anUnknownDatasetFindsNothingAndTheMessageSaysWhy() async throws {
        let api = FakeReadAPI()
        let plan = PreflightSampleTests.plan(
            PreflightSampleTests.records(.example, .dataset(id: Self.dataset, versionID: "VjI="), count: 30))
        let report = try await Self.preflight(api).run(plan)
        #expect(!report.passed)
        let message = try #require(report.failedGroups.first).failureMessage
        #expect(message.contains("dataset \(Self.dataset) version VjI=: 0 of 20 sampled example ids found"))
        #expect(message.contains("GET /v2/datasets/\(Self.dataset)/examples"))
        #expect(message.contains("HTTP 404: dataset \(Self.dataset) not found"))
        #expect(message.contains("--dataset-id"))
        #expect(message.contains("--dataset-version-id VjI="))
    }

    @Test func aDatasetThatListsNoExampleAtAllIsNotChecked() async throws {
        let api = FakeReadAPI()
        api.examples[Self.dataset] = []
        let plan = PreflightSampleTests.plan(
            PreflightSampleTests.records(.example, .dataset(id: Self.dataset, versionID: nil), count: 30))
        let report = try await Self.preflight(api).run(plan)
        #expect(report.passed)
        #expect(
            report.lines == [
                "dataset \(Self.dataset): not checked, the dataset lists no examples (20 sampled example ids)"
            ])
        #expect(PreflightSummary(report).groups.map(\.checked) == [false])
        // A listing with examples, none of them ours, is checked, and fails.
        api.examples[Self.dataset] = ["other-1", "other-2"]
        let other = try await Self.preflight(api).run(plan)
        #expect(!other.passed)
        #expect(other.lines == ["dataset \(Self.dataset): 0 of 20 sampled example ids found"])
    }

    @Test func faultsAreRetriedAndThePreflightStillPasses() async throws {
        let api = FakeReadAPI()
        let spans = Self.spans(count: 4000, days: 40)
        api.spans[Self.project] = spans
        api.fault = { _, index in
            switch index % 4 {
            case 0: .success(FakeTransport.problem(429, "slow down"))
            case 1: .success(FakeTransport.problem(503, "unavailable"))
            case 2: .failure(.connectionReset("reset"))
            default: nil
            }
        }
        let report = try await Self.preflight(api).run(Self.spanPlan(spans))
        #expect(report.passed)
        #expect(report.groups[0].found == 20)
        #expect(report.reads.throttled > 0 && report.reads.serverErrors > 0 && report.reads.transportErrors > 0)
        #expect(report.reads.reads == report.groups[0].lookups.count)
    }

    @Test func lookupsRunConcurrentlyWithinTheLimit() async throws {
        let api = FakeReadAPI()
        var records: [RecordRef] = []
        for p in 0..<6 {
            let project = "UHJvamVjdDo\(p)"
            let own = Self.spans(count: 200, days: 40)
            api.spans[project] = own
            records += own.map {
                RecordRef(
                    kind: .span, id: RecordID($0.spanID), scope: .project(id: project), timestamp: $0.time,
                    origin: RowOrigin(fileIndex: 0, line: 2))
            }
        }
        let counting = ConcurrencyProbe(api)
        let reader = RemoteReader(
            transport: counting, endpoint: Endpoint(),
            credential: APICredential(key: "ak-x", source: .environment(variable: "ARIZE_API_KEY")),
            configuration: SenderConfiguration(concurrency: 3), clock: TestClock(),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let report = try await Preflight(reader: reader, concurrency: 3).run(PreflightSampleTests.plan(records))
        #expect(report.groups.count == 6)
        #expect(report.passed)
        #expect(api.calls.count == 6 * PreflightSample.lookupsPerGroup)
        #expect(counting.maxInFlight <= 3)
    }

    @Test func aKeyThatIsRefusedEndsThePreflight() async throws {
        let api = FakeReadAPI()
        api.fault = { _, _ in .success(FakeTransport.problem(401, "invalid credentials")) }
        let spans = Self.spans(count: 100)
        await #expect(throws: RemoteError.self) {
            _ = try await Self.preflight(api).run(Self.spanPlan(spans))
        }
    }
}

/// Counts how many calls are in flight at once on the way to another transport.
final class ConcurrencyProbe: HTTPTransport {
    private let inner: any HTTPTransport
    private let state = Locked((now: 0, max: 0))

    init(_ inner: any HTTPTransport) {
        self.inner = inner
    }

    var maxInFlight: Int { state.withLock { $0.max } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        state.withLock { state in
            state.now += 1
            state.max = max(state.max, state.now)
        }
        defer { state.withLock { $0.now -= 1 } }
        for _ in 0..<20 { await Task.yield() }
        return try await inner.send(request)
    }
}

@Suite struct PreflightSummaryTests {
    @Test func theSummarySaysWhenThePreflightWasSkipped() throws {
        var summary = RunSummary(toolVersion: "t", queueID: "Q", dryRun: false)
        summary.preflight = .skippedByFlag
        #expect(summary.renderText().contains("\nPreflight: skipped (--no-preflight)"))
        let json = try #require(try JSONSerialization.jsonObject(with: summary.jsonData()) as? [String: Any])
        let preflight = try #require(json["preflight"] as? [String: Any])
        #expect(preflight["skipped"] as? Bool == true)
        #expect(preflight["read_calls"] as? Int == 0)
    }

    @Test func theSummaryListsEveryGroupAndWhetherItStopped() {
        let group = PreflightGroupResult(
            kind: .span, scope: .project(id: "P"), groupSize: 100,
            lookups: [.init(whereLooked: "POST /v2/spans", sampled: ["a", "b", "c"], found: ["a"], pages: 1)])
        let report = PreflightReport(groups: [group], reads: RemoteReadCounters())
        #expect(
            PreflightSummary(report).lines == [
                "Preflight: stopped, fewer than half of a group's sampled ids found; nothing was sent",
                "  project P: 1 of 3 sampled span ids found",
            ])
        let passing = PreflightGroupResult(
            kind: .span, scope: .project(id: "P"), groupSize: 100,
            lookups: [.init(whereLooked: "POST /v2/spans", sampled: ["a", "b"], found: ["a"], pages: 1)])
        var reads = RemoteReadCounters()
        reads.reads = 1
        #expect(
            PreflightSummary(PreflightReport(groups: [passing], reads: reads)).lines == [
                "Preflight: at least half of every group's sampled ids found (1 read call)",
                "  project P: 1 of 2 sampled span ids found",
            ])
        #expect(
            PreflightSummary(skipped: false, passed: false, groups: [], readCalls: 3, error: "HTTP 400").lines == [
                "Preflight: the sampled ids could not be looked up (HTTP 400); nothing was sent"
            ])
    }
}

@Suite struct PreflightStopTests {
    static let delivery = DeliverySettings(
        endpoint: Endpoint(), endpointSource: "default",
        credential: APICredential(key: "ak-x", source: .environment(variable: "ARIZE_API_KEY")))

    @Test func aRefusedKeyOrAnUnwellServerAbortsAsADeliveryWould() {
        let refused = PreflightStep.stop(
            for: .unauthorized(status: 401, keySource: "k", detail: "invalid"), delivery: Self.delivery)
        #expect(refused.code == .abortedResumable)
        #expect(refused.messages.joined().contains("the key came from the environment variable ARIZE_API_KEY"))
        #expect(refused.messages.joined().contains("nothing was sent"))
        #expect(
            PreflightStep.stop(for: .transport(.connectionFailed("refused")), delivery: Self.delivery).code
                == .abortedResumable)
        #expect(
            PreflightStep.stop(for: .http(status: 503, request: "POST /v2/spans", detail: "x"), delivery: Self.delivery)
                .code == .abortedResumable)
    }

    @Test func anAnswerNoRetryMendsStopsWithNothingDone() {
        let refused = PreflightStep.stop(
            for: .http(status: 400, request: "POST /v2/spans", detail: "filter not understood"), delivery: Self.delivery
        )
        #expect(refused.code == .nothingDone)
        #expect(refused.messages.joined().contains("filter not understood"))
        #expect(refused.messages.joined().contains("--no-preflight"))
        #expect(
            PreflightStep.stop(for: .transport(.invalidRequest("plain http")), delivery: Self.delivery).code
                == .nothingDone)
    }
}
