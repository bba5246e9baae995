import Foundation
import Logging
import Testing

@testable import AQImportCore

@Suite struct SenderTests {
    static let key = "ak-SECRET-0123456789"
    static let window = TimeWindow(start: Timestamp(secondsSinceEpoch: 0), end: Timestamp(secondsSinceEpoch: 3600))

    static func request(_ ids: [String], prefix: String = "") -> PlannedRequest {
        PlannedRequest(sources: [
            RecordSource(
                kind: .span, scope: .project(id: "UHJvamVjdDox"), window: window,
                ids: ids.map { RecordID(prefix + $0) })
        ])
    }

    static func requests(_ count: Int, idsEach: Int = 2) -> [PlannedRequest] {
        (0..<count).map { index in request((0..<idsEach).map { "r\(index)-\($0)" }) }
    }

    /// Everything a test needs around one sender.
    final class Harness: Sendable {
        let transport: FakeTransport
        let recorder = InMemoryRecorder()
        let clock: TestClock
        let sender: Sender
        let logs = Locked<[String]>([])
        private let eventLog = Locked<[DeliveryEvent]>([])

        var events: [DeliveryEvent] { eventLog.withLock { $0 } }

        init(
            transport: FakeTransport, configuration: SenderConfiguration = SenderConfiguration(),
            clock: TestClock = TestClock(),
            endpoint: Endpoint = Endpoint(scheme: "http", host: "127.0.0.1", port: 8080),
            credentialSource: CredentialSource = .environment(variable: "ARIZE_API_KEY"),
            wallClock: @escaping @Sendable () -> Timestamp = { Timestamp(secondsSinceEpoch: 1_000_000) }
        ) {
            self.transport = transport
            self.clock = clock
            let eventLog = self.eventLog
            let logs = self.logs
            sender = Sender(
                queueID: "QW5ub3RhdGlvblF1ZXVlOjE6YUJjRA==", endpoint: endpoint,
                credential: APICredential(key: SenderTests.key, source: credentialSource), transport: transport,
                recorder: recorder, configuration: configuration, clock: clock, wallClock: wallClock,
                random: SplitMix64(seed: 99),
                logger: Logger(label: "test", factory: { _ in CapturingLogHandler(lines: logs) }),
                events: { event in eventLog.withLock { $0.append(event) } })
        }
    }

    @Test func deliversEveryRequestWithTheExactBodyAndHeaders() async throws {
        let harness = Harness(transport: FakeTransport(responses: []))
        let planned = Self.requests(10)
        let outcome = await harness.sender.deliver(planned)
        #expect(outcome.status == .completed)
        #expect(outcome.counters.requestsDelivered == 10)
        #expect(outcome.counters.recordsCreated == 20)
        #expect(outcome.counters.retries == 0)
        let calls = harness.transport.calls
        #expect(Set(calls.map(\.body)) == Set(planned.map(\.body)))
        let call = try #require(calls.first)
        #expect(call.method == "POST")
        #expect(call.url == "http://127.0.0.1:8080/v2/annotation-queues/QW5ub3RhdGlvblF1ZXVlOjE6YUJjRA%3D%3D/records")
        #expect(call.header("authorization") == "Bearer \(Self.key)")
        #expect(call.header("Content-Type") == "application/json")
        #expect(call.header("Accept") == "application/json")
        #expect(harness.recorder.isConsistent)
        #expect(harness.recorder.settled == Set(planned.map(\.id)))
        #expect(harness.recorder.entries.filter(\.isFinal).count == 10)
        #expect(harness.clock.sleeps.isEmpty)
        #expect(!harness.logs.withLock { $0.joined() }.contains("SECRET"))
    }

    @Test func alreadyPresentIsCountedFrom200() async {
        let transport = FakeTransport { _, _ in HTTPResponse(status: 200, body: Array(#"{"record_sources":[]}"#.utf8)) }
        let harness = Harness(transport: transport)
        let outcome = await harness.sender.deliver(Self.requests(3))
        #expect(outcome.status == .completed)
        #expect(outcome.counters.recordsCreated == 0)
        #expect(outcome.counters.recordsAlreadyPresent == 6)
        #expect(harness.recorder.entries.contains { if case .delivered(_, 200, 0) = $0 { true } else { false } })
    }

    @Test func honoursRetryAfterSecondsOn429() async {
        let transport = FakeTransport(responses: [
            .success(FakeTransport.problem(429, "slow down", headers: [("Retry-After", "3")]))
        ])
        let harness = Harness(transport: transport)
        let outcome = await harness.sender.deliver([Self.request(["a"])])
        #expect(outcome.status == .completed)
        #expect(harness.clock.sleeps == [.seconds(3)])
        #expect(outcome.counters.retries == 1)
        #expect(outcome.counters.throttled == 1)
        #expect(transport.calls.count == 2)
        #expect(
            harness.events.contains(
                .retryScheduled(request: Self.request(["a"]).id, attempt: 1, delay: .seconds(3), cause: .status(429))))
    }

    @Test func honoursRetryAfterDateOn503CappedByMaxBackoff() async {
        // The wall clock says 1994-11-06T08:49:07Z: the date is 30 s ahead, the second one an hour.
        let transport = FakeTransport(responses: [
            .success(FakeTransport.problem(503, "busy", headers: [("Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT")])),
            .success(FakeTransport.problem(503, "busy", headers: [("Retry-After", "Sun, 06 Nov 1994 09:49:37 GMT")])),
        ])
        let harness = Harness(
            transport: transport, configuration: SenderConfiguration(maxBackoff: .seconds(45)),
            wallClock: { Timestamp(secondsSinceEpoch: 784_111_747) })
        let outcome = await harness.sender.deliver([Self.request(["a"])])
        #expect(outcome.status == .completed)
        #expect(harness.clock.sleeps == [.seconds(30), .seconds(45)])
        #expect(outcome.counters.serverErrors == 2)
    }

    @Test func retriesResetWithSeededFullJitterBackoff() async {
        let transport = FakeTransport(responses: [.failure(.connectionReset("peer")), .failure(.noResponse("eof"))])
        let harness = Harness(transport: transport)
        let outcome = await harness.sender.deliver([Self.request(["a"])])
        #expect(outcome.status == .completed)
        var random = SplitMix64(seed: 99)
        let expected = [
            Backoff.delay(failedAttempt: 1, using: &random), Backoff.delay(failedAttempt: 2, using: &random),
        ]
        #expect(harness.clock.sleeps == expected)
        #expect(outcome.counters.transportErrors == 2)
        #expect(harness.recorder.entries.count == 2)
    }

    @Test func bisectionIsolatesExactlyTheBadID() async throws {
        let transport = FakeTransport { request, _ in
            FakeTransport.ids(in: request).contains("bad")
                ? FakeTransport.problem(422, "span bad not found in window") : FakeTransport.created(for: request)
        }
        let harness = Harness(transport: transport)
        let planned = Self.request(["a", "b", "c", "bad", "d", "e", "f", "g", "h"])
        let outcome = await harness.sender.deliver([planned])
        #expect(outcome.status == .completed)
        #expect(
            outcome.counters.rejections == [
                ServerRejection(kind: .span, id: "bad", status: 422, detail: "span bad not found in window")
            ])
        #expect(
            harness.recorder.entries == [
                .sending(planned.id),
                .rejected(planned.id, rejections: outcome.counters.rejections, created: 8),
            ])
        // Every good id reached the server in a request that was accepted.
        let accepted = transport.calls.filter { !FakeTransport.ids(in: $0).contains("bad") }.flatMap(FakeTransport.ids)
        #expect(Set(accepted) == ["a", "b", "c", "d", "e", "f", "g", "h"])
        #expect(outcome.counters.requestsWithRejections == 1)
    }

    @Test func bisectionAcrossTwoSourcesWithTwoBadIDs() async throws {
        let transport = FakeTransport { request, _ in
            let ids = FakeTransport.ids(in: request)
            return ids.contains("s3") || ids.contains("x1")
                ? FakeTransport.problem(400, "bad id") : FakeTransport.created(for: request)
        }
        let harness = Harness(transport: transport)
        let planned = PlannedRequest(sources: [
            RecordSource(
                kind: .span, scope: .project(id: "p"), window: Self.window, ids: (0..<6).map { RecordID("s\($0)") }),
            RecordSource(
                kind: .example, scope: .dataset(id: "d", versionID: nil), window: nil,
                ids: (0..<4).map { RecordID("x\($0)") }),
        ])
        let outcome = await harness.sender.deliver([planned])
        #expect(Set(outcome.counters.rejections.map(\.id)) == ["s3", "x1"])
        #expect(outcome.counters.rejections.first { $0.id == "x1" }?.kind == .example)
        #expect(outcome.counters.recordsCreated == 8)
        // No piece ever carried an empty source.
        for call in transport.calls {
            #expect(!String(decoding: call.body, as: UTF8.self).contains("[]"))
        }
    }

    @Test func singleIDRequestRefusedIsRejected() async {
        let transport = FakeTransport { _, _ in FakeTransport.problem(422, "window too long") }
        let harness = Harness(transport: transport)
        let planned = Self.request(["only"])
        let outcome = await harness.sender.deliver([planned])
        #expect(outcome.status == .completed)
        #expect(
            outcome.counters.rejections == [
                ServerRejection(kind: .span, id: "only", status: 422, detail: "window too long")
            ])
        #expect(transport.calls.count == 1)
    }

    @Test func otherClientErrorsRejectTheWholeRequest() async {
        let transport = FakeTransport { _, _ in FakeTransport.problem(409, "conflict") }
        let harness = Harness(transport: transport)
        let outcome = await harness.sender.deliver([Self.request(["a", "b"])])
        #expect(outcome.counters.rejections.map(\.id) == ["a", "b"])
        #expect(transport.calls.count == 1)
    }

    @Test func unauthorizedAbortsNamingTheSourceNeverTheKey() async throws {
        let transport = FakeTransport { _, _ in FakeTransport.problem(401, "invalid api key") }
        let harness = Harness(transport: transport, credentialSource: .file(path: "/home/me/.arize-key"))
        let outcome = await harness.sender.deliver(Self.requests(20))
        guard case .aborted(let reason, let resumable) = outcome.status else {
            Issue.record("expected an abort, got \(outcome.status)")
            return
        }
        #expect(resumable)
        #expect(
            reason
                == .unauthorized(
                    status: 401, credentialSource: .file(path: "/home/me/.arize-key"), detail: "invalid api key"))
        #expect(reason.description.contains("/home/me/.arize-key"))
        #expect(!reason.description.contains("SECRET"))
        // Dispatching stopped at once: at most the first window went out, and nothing was settled.
        #expect(transport.calls.count <= 4)
        #expect(harness.recorder.isConsistent)
        #expect(harness.recorder.settled.isEmpty)
        #expect(!harness.logs.withLock { $0.joined() }.contains("SECRET"))
    }

    @Test func forbiddenAbortsToo() async {
        let harness = Harness(transport: FakeTransport { _, _ in FakeTransport.problem(403, "no access") })
        let outcome = await harness.sender.deliver(Self.requests(2))
        guard case .aborted(.unauthorized(403, _, _), _) = outcome.status else {
            Issue.record("expected a 403 abort, got \(outcome.status)")
            return
        }
    }

    @Test func missingQueueAborts() async {
        let harness = Harness(transport: FakeTransport { _, _ in FakeTransport.problem(404, "not found") })
        let outcome = await harness.sender.deliver(Self.requests(3))
        guard case .aborted(let reason, _) = outcome.status else {
            Issue.record("expected an abort, got \(outcome.status)")
            return
        }
        #expect(reason.description.hasPrefix("queue not found: QW5ub3RhdGlvblF1ZXVlOjE6YUJjRA=="))
        #expect(harness.recorder.isConsistent)
    }

    @Test func attemptsAreLimited() async {
        let transport = FakeTransport { _, _ in throw TransportError.timedOut("slow") }
        let harness = Harness(transport: transport, configuration: SenderConfiguration(maxAttempts: 3))
        let planned = Self.request(["a"])
        let outcome = await harness.sender.deliver([planned])
        #expect(
            outcome.status
                == .aborted(
                    reason: .attemptsExhausted(
                        request: planned.id, attempts: 3, lastCause: .transport(.timedOut("slow"))),
                    resumable: true))
        #expect(transport.calls.count == 3)
        #expect(harness.clock.sleeps.count == 2)
        #expect(harness.recorder.entries == [.sending(planned.id)])
    }

    @Test func throttlingIsNotFailure() async {
        // Ten 429s, then a 201: with three attempts allowed and a retry budget of two, it is delivered.
        let throttled = Locked(0)
        let transport = FakeTransport { request, _ in
            let n = throttled.withLock { count in
                count += 1
                return count
            }
            return n <= 10
                ? FakeTransport.problem(429, "slow down", headers: [("Retry-After", "0")])
                : FakeTransport.created(for: request)
        }
        let harness = Harness(
            transport: transport,
            configuration: SenderConfiguration(maxAttempts: 3, retryBudget: RetryBudget(initial: 2)))
        let planned = Self.request(["a"])
        let outcome = await harness.sender.deliver([planned])
        #expect(outcome.status == .completed)
        #expect(outcome.counters.throttled == 10)
        #expect(transport.calls.count == 11)
    }

    @Test func endlessThrottlingStillEnds() async {
        let transport = FakeTransport { _, _ in FakeTransport.problem(429, "slow down", headers: [("Retry-After", "0")])
        }
        let harness = Harness(transport: transport, configuration: SenderConfiguration(maxAttempts: 2))
        let planned = Self.request(["a"])
        let outcome = await harness.sender.deliver([planned])
        #expect(
            outcome.status
                == .aborted(
                    reason: .attemptsExhausted(request: planned.id, attempts: 16, lastCause: .status(429)),
                    resumable: true))
        #expect(transport.calls.count == 16)
    }

    @Test func oneRequestGivingUpDoesNotStopTheOthers() async {
        let transport = FakeTransport { request, _ in
            if FakeTransport.ids(in: request).contains("r0-0") { throw TransportError.connectionReset("flaky") }
            return FakeTransport.created(for: request)
        }
        let harness = Harness(transport: transport, configuration: SenderConfiguration(concurrency: 1, maxAttempts: 2))
        let planned = Self.requests(5)
        let outcome = await harness.sender.deliver(planned)
        #expect(
            outcome.status
                == .aborted(
                    reason: .attemptsExhausted(
                        request: planned[0].id, attempts: 2, lastCause: .transport(.connectionReset("flaky"))),
                    resumable: true))
        #expect(outcome.counters.requestsDelivered == 4)
        #expect(outcome.counters.requestsGivenUp == 1)
        #expect(outcome.counters.requestsUnfinished == 1)
        #expect(harness.recorder.settled == Set(planned.dropFirst().map(\.id)))
    }

    @Test func retryBudgetStopsAStorm() async {
        // Half of all attempts fail with 500: with a deposit of 0.2 per success the budget runs out.
        let transport = FakeTransport { request, index in
            index % 2 == 0 ? FakeTransport.problem(500, "oops") : FakeTransport.created(for: request)
        }
        let configuration = SenderConfiguration(
            concurrency: 1, maxAttempts: 100, retryBudget: RetryBudget(initial: 5, maximum: 10, depositPerSuccess: 0.2))
        let harness = Harness(transport: transport, configuration: configuration)
        let outcome = await harness.sender.deliver(Self.requests(50))
        guard case .aborted(.retryBudgetExhausted, true) = outcome.status else {
            Issue.record("expected the budget to run out, got \(outcome.status)")
            return
        }
        #expect(outcome.counters.requestsDelivered < 50)
        #expect(outcome.counters.requestsDelivered + outcome.counters.requestsUnfinished <= 50)
        #expect(harness.recorder.isConsistent)
    }

    @Test(arguments: [1, 3, 4])
    func neverMoreInFlightThanTheConcurrency(concurrency: Int) async {
        let transport = FakeTransport { request, _ in
            for _ in 0..<5 { await Task.yield() }
            return FakeTransport.created(for: request)
        }
        let harness = Harness(transport: transport, configuration: SenderConfiguration(concurrency: concurrency))
        let outcome = await harness.sender.deliver(Self.requests(40))
        #expect(outcome.status == .completed)
        #expect(transport.maxInFlight == concurrency)
        #expect(harness.recorder.settled.count == 40)
    }

    @Test func concurrencyHalvesOn429AndRecovers() async {
        let transport = FakeTransport { request, index in
            index < 3
                ? FakeTransport.problem(429, "slow down", headers: [("Retry-After", "1")])
                : FakeTransport.created(for: request)
        }
        let configuration = SenderConfiguration(concurrency: 4, successesPerConcurrencyIncrease: 2)
        let harness = Harness(transport: transport, configuration: configuration)
        let outcome = await harness.sender.deliver(Self.requests(30))
        #expect(outcome.status == .completed)
        #expect(outcome.counters.throttled == 3)
        let changes = harness.events.compactMap { event -> [Int]? in
            if case .concurrencyChanged(let from, let to) = event { return [from, to] }
            return nil
        }
        #expect(changes.first == [4, 2])
        #expect(changes.last?.last == 4)
        #expect(changes.filter { $0[1] < $0[0] }.count <= 2)
    }

    @Test func throttlingLowersAttemptsInFlightAtOnce() async {
        // 8 attempts go out and all get 429: the limit halves once for them (same epoch), to 4. The 4
        // retries get 429 too: 2. Then 2 more: 1. From then on one attempt at a time, although 8
        // requests are still under way.
        let transport = FakeTransport { request, index in
            for _ in 0..<5 { await Task.yield() }
            return index < 14 ? FakeTransport.problem(429, "slow down") : FakeTransport.created(for: request)
        }
        let configuration = SenderConfiguration(concurrency: 8, successesPerConcurrencyIncrease: 1000)
        let harness = Harness(transport: transport, configuration: configuration)
        let outcome = await harness.sender.deliver(Self.requests(20))
        #expect(outcome.status == .completed)
        let limits = harness.events.compactMap { event -> Int? in
            if case .concurrencyChanged(_, let to) = event { return to }
            return nil
        }
        #expect(limits == [4, 2, 1])
        #expect(transport.inFlightAtStart.dropFirst(14).allSatisfy { $0 == 1 })
        #expect(harness.recorder.settled.count == 20)
    }

    @Test func stopLetsInFlightFinishAndDispatchesNoMore() async throws {
        let gate = Gate()
        let transport = FakeTransport { request, _ in
            await gate.wait()
            return FakeTransport.created(for: request)
        }
        // A manual clock: the grace period must not run out while the answers are held back.
        let harness = Harness(
            transport: transport, configuration: SenderConfiguration(concurrency: 2),
            clock: TestClock(autoAdvance: false))
        let planned = Self.requests(10)
        let delivery = Task { await harness.sender.deliver(planned) }
        while transport.inFlight < 2 { await Task.yield() }
        harness.sender.stop()
        await gate.open()
        let outcome = await delivery.value
        #expect(outcome.status == .interrupted)
        #expect(outcome.counters.requestsDelivered == 2)
        #expect(transport.calls.count == 2)
        #expect(harness.recorder.settled.count == 2)
        #expect(harness.recorder.isConsistent)
        #expect(harness.events.contains(.stopping))
    }

    @Test func graceExpiryCancelsWhatIsStillInFlight() async throws {
        let transport = FakeTransport { _, _ in
            try await Task.sleep(for: .seconds(3600))
            throw TransportError.timedOut("never")
        }
        let clock = TestClock(autoAdvance: false)
        let harness = Harness(
            transport: transport, configuration: SenderConfiguration(concurrency: 3, gracePeriod: .seconds(5)),
            clock: clock)
        let delivery = Task { await harness.sender.deliver(Self.requests(10)) }
        while transport.inFlight < 3 { await Task.yield() }
        harness.sender.stop()
        while clock.sleeperCount < 1 { await Task.yield() }
        clock.advance(by: .seconds(5))
        let outcome = await delivery.value
        #expect(outcome.status == .interrupted)
        #expect(outcome.counters.requestsUnfinished == 3)
        #expect(harness.recorder.entries.count == 3)
        #expect(harness.recorder.settled.isEmpty)
    }

    @Test(.timeLimit(.minutes(1)))
    func stopWakesRequestsWaitingOutABackoff() async {
        let transport = FakeTransport { _, _ in FakeTransport.problem(503, "busy", headers: [("Retry-After", "60")]) }
        let clock = TestClock(autoAdvance: false)
        let harness = Harness(transport: transport, configuration: SenderConfiguration(concurrency: 2), clock: clock)
        let delivery = Task { await harness.sender.deliver(Self.requests(10)) }
        while clock.sleeperCount < 2 { await Task.yield() }
        harness.sender.stop()
        let outcome = await delivery.value
        #expect(outcome.status == .interrupted)
        #expect(outcome.counters.requestsUnfinished == 2)
        #expect(transport.calls.count == 2)
        #expect(clock.now == TestClock.Instant(offset: .zero))
    }

    @Test(.timeLimit(.minutes(1)))
    func abortWakesRequestsWaitingOutABackoff() async {
        let transport = FakeTransport { request, _ in
            FakeTransport.ids(in: request).contains("r0-0")
                ? FakeTransport.problem(503, "busy", headers: [("Retry-After", "60")])
                : FakeTransport.problem(401, "bad key")
        }
        let clock = TestClock(autoAdvance: false)
        let harness = Harness(transport: transport, configuration: SenderConfiguration(concurrency: 2), clock: clock)
        let outcome = await harness.sender.deliver(Self.requests(10))
        guard case .aborted(.unauthorized, _) = outcome.status else {
            Issue.record("expected a 401 abort, got \(outcome.status)")
            return
        }
        #expect(harness.recorder.settled.isEmpty)
    }

    @Test func cancellingTheTaskEndsAtOnce() async throws {
        let transport = FakeTransport { _, _ in
            try await Task.sleep(for: .seconds(3600))
            throw TransportError.timedOut("never")
        }
        let harness = Harness(transport: transport)
        let delivery = Task { await harness.sender.deliver(Self.requests(10)) }
        while transport.inFlight < 4 { await Task.yield() }
        delivery.cancel()
        let outcome = await delivery.value
        #expect(outcome.status == .interrupted)
        #expect(harness.recorder.isConsistent)
        #expect(harness.recorder.settled.isEmpty)
    }

    @Test func refusesPlainHTTPToARemoteHost() async {
        let transport = FakeTransport(responses: [])
        let harness = Harness(transport: transport, endpoint: Endpoint(scheme: "http", host: "api.arize.com"))
        let outcome = await harness.sender.deliver(Self.requests(1))
        #expect(outcome.status == .aborted(reason: .insecureEndpoint("http://api.arize.com"), resumable: true))
        #expect(transport.calls.isEmpty)
    }

    @Test func rateLimitPacesEveryAttempt() async {
        let harness = Harness(
            transport: FakeTransport(responses: []), configuration: SenderConfiguration(concurrency: 1, rate: 2))
        let outcome = await harness.sender.deliver(Self.requests(4))
        #expect(outcome.status == .completed)
        #expect(harness.clock.sleeps == [.milliseconds(500), .milliseconds(500), .milliseconds(500)])
    }
}

/// Holds callers until opened.
actor Gate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters = []
    }
}

/// Keeps every log line, message and metadata, to check that the key never shows.
struct CapturingLogHandler: LogHandler {
    let lines: Locked<[String]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        lines.withLock { $0.append("\(event.level) \(event.message) \(merged)") }
    }
}
