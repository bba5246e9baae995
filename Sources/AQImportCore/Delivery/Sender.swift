import Foundation
import Logging

/// Delivers planned requests to a queue: at most `concurrency` in flight (lowered by AIMD after 429s),
/// paced by a token bucket, each retried with backoff, 400/422 answers bisected down to the refused
/// ids, and every request journaled through the recorder: `sending` before it leaves, one `delivered`
/// or `rejected` once settled. A sender runs one delivery.
public final class Sender: Sendable {
    private let queueID: String
    private let endpoint: Endpoint
    private let credential: APICredential
    private let transport: any HTTPTransport
    private let recorder: any DeliveryRecorder
    private let configuration: SenderConfiguration
    private let clock: DeliveryClock
    private let wallClock: @Sendable () -> Timestamp
    private let logger: Logger
    private let events: @Sendable (DeliveryEvent) -> Void
    private let rateLimiter: RateLimiter
    private let state: Locked<RunState>
    private let stopSignal: AsyncStream<Void>
    private let stopContinuation: AsyncStream<Void>.Continuation
    private let halt = HaltSignal()
    private let gate: ConcurrencyGate
    /// Orders concurrency-change events as the changes happened; never held by anything else.
    // An Int, not (): ThreadSanitizer misreads a lock around an empty value as a race (swiftlang/swift#61244).
    private let limitEvents = Locked(0)

    struct RunState {
        var counters = DeliveryCounters()
        var aimd: AIMDController
        var budget: RetryBudget
        var random: any RandomNumberGenerator
        var stopRequested = false
        var abortReason: DeliveryAbortReason?
        /// The first request that used up its attempts; the others went on.
        var gaveUp: DeliveryAbortReason?
    }

    /// How one planned request (or one piece of it) ended.
    enum PieceResult {
        case delivered(status: Int, created: Int)
        case rejected([ServerRejection], created: Int)
        case unfinished
    }

    enum ChildResult {
        case request
        case graceExpired
        case watcherEnded
    }

    public init(
        queueID: String, endpoint: Endpoint, credential: APICredential, transport: any HTTPTransport,
        recorder: any DeliveryRecorder, configuration: SenderConfiguration = SenderConfiguration(),
        clock: any Clock<Duration> = ContinuousClock(),
        wallClock: @escaping @Sendable () -> Timestamp = Sender.systemTime,
        random: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator(),
        logger: Logger = Logger(label: "aq-import.delivery"),
        events: @escaping @Sendable (DeliveryEvent) -> Void = { _ in }
    ) {
        self.queueID = queueID
        self.endpoint = endpoint
        self.credential = credential
        self.transport = transport
        self.recorder = recorder
        self.configuration = configuration
        self.clock = DeliveryClock(clock)
        self.wallClock = wallClock
        self.logger = logger
        self.events = events
        self.rateLimiter = RateLimiter(rate: configuration.rate, clock: clock)
        self.gate = ConcurrencyGate(limit: configuration.concurrency)
        self.state = Locked(
            RunState(
                aimd: AIMDController(
                    maximum: configuration.concurrency,
                    successesPerIncrease: configuration.successesPerConcurrencyIncrease),
                budget: configuration.retryBudget, random: random))
        (stopSignal, stopContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// How many 429s a request may take per allowed attempt before it is given up.
    static let throttledAttemptsPerAttempt = 8

    @Sendable public static func systemTime() -> Timestamp {
        Timestamp(nanosecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1e9))
    }

    /// Stop dispatching; requests in flight get `gracePeriod` to finish, then are cancelled. Safe to call
    /// from a signal handler's task, more than once.
    public func stop() {
        let first = state.withLock { state in
            defer { state.stopRequested = true }
            return !state.stopRequested
        }
        if first {
            halt.halt()
            gate.halt()
            logger.notice("stopping: no new requests; waiting for those in flight")
            events(.stopping)
            stopContinuation.yield()
        }
    }

    /// The counters so far, for a progress line that polls.
    public var counters: DeliveryCounters { state.withLock { $0.counters } }

    public func deliver(_ requests: [PlannedRequest]) async -> DeliveryOutcome {
        await deliver(
            AsyncStream { continuation in
                for request in requests { continuation.yield(request) }
                continuation.finish()
            })
    }

    /// Sends every request of the sequence (those the journal has not settled) and says how it ended.
    /// Cancelling the calling task ends at once: requests without an answer stay `sending` in the
    /// journal and are resent on resume.
    public func deliver<Requests: AsyncSequence>(_ requests: Requests) async -> DeliveryOutcome
    where Requests.Element == PlannedRequest {
        do {
            try endpoint.requireSecureTransport(allowInsecureHTTP: configuration.allowInsecureHTTP)
        } catch {
            abort(.insecureEndpoint(endpoint.baseURL))
            return outcome(exhausted: false)
        }
        var exhausted = false
        await withTaskGroup(of: ChildResult.self) { group in
            group.addTask { [stopSignal, clock, configuration] in
                for await _ in stopSignal {
                    do {
                        try await clock.sleep(configuration.gracePeriod)
                        return .graceExpired
                    } catch {
                        return .watcherEnded
                    }
                }
                return .watcherEnded
            }
            var inFlight = 0
            func handle(_ result: ChildResult?) {
                switch result {
                case .request: inFlight -= 1
                case .graceExpired:
                    logger.notice("grace period over: cancelling \(inFlight) request(s) in flight")
                    group.cancelAll()
                case .watcherEnded, nil: break
                }
            }
            var iterator = requests.makeAsyncIterator()
            dispatch: while !shouldStopDispatching {
                while inFlight >= configuration.concurrency {
                    handle(await group.next())
                    if shouldStopDispatching { break dispatch }
                }
                let next: PlannedRequest?
                do {
                    next = try await iterator.next()
                } catch {
                    abort(.requestSourceFailed(String(describing: error)))
                    break
                }
                guard let request = next else {
                    exhausted = true
                    break
                }
                if shouldStopDispatching { break }
                inFlight += 1
                group.addTask { await self.deliverPlanned(request) }
            }
            while inFlight > 0 {
                handle(await group.next())
            }
            group.cancelAll()
        }
        return outcome(exhausted: exhausted)
    }

    private var shouldStopDispatching: Bool {
        Task.isCancelled || state.withLock { $0.stopRequested || $0.abortReason != nil }
    }

    private func outcome(exhausted: Bool) -> DeliveryOutcome {
        state.withLock { state in
            if let reason = state.abortReason ?? state.gaveUp {
                return DeliveryOutcome(
                    status: .aborted(reason: reason, resumable: reason.isResumable), counters: state.counters)
            }
            let complete = exhausted && state.counters.requestsUnfinished == 0 && !Task.isCancelled
            return DeliveryOutcome(status: complete ? .completed : .interrupted, counters: state.counters)
        }
    }

    private func abort(_ reason: DeliveryAbortReason) {
        let first = state.withLock { state in
            defer { state.abortReason = state.abortReason ?? reason }
            return state.abortReason == nil
        }
        if first {
            halt.halt()
            gate.halt()
            // A notice, not an error: the reason reaches the user once, in the run's messages.
            logger.notice("aborting: \(reason)")
            events(.aborting(reason))
        }
    }

    private func deliverPlanned(_ request: PlannedRequest) async -> ChildResult {
        var logger = self.logger
        logger[metadataKey: "request-id"] = "\(request.id)"
        do {
            try await recorder.sending(request.id)
        } catch {
            abort(.recorderFailed(String(describing: error)))
            state.withLock { $0.counters.requestsUnfinished += 1 }
            return .request
        }
        let created = Locked<[QueueRecord]>([])
        let result = await sendPiece(
            request.sources, body: request.body, of: request, created: created, logger: logger)
        do {
            switch result {
            case .delivered, .rejected:
                try await recorder.landed(request, created: created.withLock { $0 })
            case .unfinished:
                break
            }
            switch result {
            case .delivered(let status, let created):
                try await recorder.delivered(request.id, status: status, created: created)
                state.withLock { $0.counters.requestsDelivered += 1 }
                logger.debug("delivered", metadata: ["status": "\(status)", "created": "\(created)"])
                events(.delivered(request: request.id, status: status, records: request.recordCount, created: created))
            case .rejected(let rejections, let created):
                try await recorder.rejected(request.id, rejections: rejections, created: created)
                state.withLock {
                    $0.counters.requestsWithRejections += 1
                    $0.counters.rejections += rejections
                }
                logger.notice("ids rejected", metadata: ["count": "\(rejections.count)", "created": "\(created)"])
                events(.rejected(request: request.id, rejections: rejections, created: created))
            case .unfinished:
                state.withLock { $0.counters.requestsUnfinished += 1 }
            }
        } catch {
            abort(.recorderFailed(String(describing: error)))
            state.withLock { $0.counters.requestsUnfinished += 1 }
        }
        return .request
    }

    /// Sends some sources of a planned request until they settle: retried while the failures are
    /// transient, split in halves on 400/422. Once the run stops or aborts no attempt starts (those
    /// already sent finish), and the piece ends unfinished.
    private func sendPiece(
        _ sources: [RecordSource], body: [UInt8], of request: PlannedRequest, created landed: Locked<[QueueRecord]>,
        logger: Logger
    ) async -> PieceResult {
        let records = sources.reduce(0) { $0 + $1.ids.count }
        var attempt = 0
        // 429s are the server pacing a healthy import, not failures: they neither count toward
        // --max-attempts nor draw on the retry budget (AIMD and Retry-After deal with them), but a
        // server that never stops answering 429 still ends the request, after this many.
        var throttledAttempts = 0
        while true {
            attempt += 1
            if shouldStopDispatching { return .unfinished }
            guard await gate.acquire() else { return .unfinished }
            guard await rateLimiter.acquire(unlessHalted: halt) else {
                gate.release()
                return .unfinished
            }
            let epoch = state.withLock { state in
                state.counters.attempts += 1
                return state.aimd.epoch
            }
            let httpRequest = HTTPRequest(
                method: "POST", url: endpoint.url(path: APIPath.records(queueID: queueID)),
                headers: [
                    ("Authorization", credential.authorization), ("Content-Type", "application/json"),
                    ("Accept", "application/json"), ("User-Agent", configuration.userAgent),
                ],
                body: body, timeout: configuration.requestTimeout)
            let answer: Result<HTTPResponse, any Error>
            do {
                answer = .success(try await transport.send(httpRequest))
            } catch {
                answer = .failure(error)
            }
            let decision: RetryDecision
            var response: HTTPResponse?
            var transportError: TransportError?
            switch answer {
            case .success(let answer):
                response = answer
                decision = RetryPolicy.decide(status: answer.status)
            case .failure(let error):
                let error = error as? TransportError ?? .noResponse(String(describing: error))
                transportError = error
                decision = RetryPolicy.decide(error: error)
            }
            // The answer's effect on the limit lands before the permit goes back, so that an attempt
            // admitted by this release already sees the lowered limit and the new epoch.
            limitEvents.withLock { _ in
                let limitChange = state.withLock { state -> (Int, Int)? in
                    let before = state.aimd.limit
                    let changed: Bool
                    switch decision {
                    case .success: changed = state.aimd.succeeded()
                    case .retry(.status(429)): changed = state.aimd.throttled(sentInEpoch: epoch)
                    default: changed = false
                    }
                    guard changed else { return nil }
                    gate.setLimit(state.aimd.limit)
                    return (before, state.aimd.limit)
                }
                if let (from, to) = limitChange { concurrencyChanged(from: from, to: to, logger: logger) }
            }
            gate.release()
            if Task.isCancelled { return .unfinished }
            if let transportError {
                state.withLock { $0.counters.transportErrors += 1 }
                if decision == .abortUnexpected {
                    abort(.transportFailure(transportError))
                    return .unfinished
                }
            }
            let status = response?.status ?? 0
            let body = response?.body ?? []

            switch decision {
            case .success:
                let createdRecords = QueueRecord.created(inBody: body)
                if let createdRecords { landed.withLock { $0 += createdRecords } }
                let created = createdRecords?.count ?? (status == 201 ? records : 0)
                state.withLock { state in
                    state.counters.recordsCreated += created
                    state.counters.recordsAlreadyPresent += max(records - created, 0)
                    state.budget.succeeded()
                }
                return .delivered(status: status, created: created)

            case .retry(let cause):
                let isThrottle = cause == .status(429)
                if isThrottle { throttledAttempts += 1 }
                let exhausted =
                    isThrottle
                    ? throttledAttempts >= configuration.maxAttempts * Self.throttledAttemptsPerAttempt
                    : attempt - throttledAttempts >= configuration.maxAttempts
                let (budgetOK, delay, retries) = state.withLock { state -> (Bool, Duration, Int) in
                    if case .status(let code) = cause {
                        if code == 429 {
                            state.counters.throttled += 1
                        } else if code >= 500 {
                            state.counters.serverErrors += 1
                        }
                    }
                    guard !exhausted else { return (true, .zero, 0) }
                    let budgetOK = isThrottle || state.budget.withdraw()
                    if budgetOK { state.counters.retries += 1 }
                    let delay = RetryPolicy.delay(
                        failedAttempt: attempt, retryAfter: response?.header("Retry-After"), now: wallClock(),
                        baseBackoff: configuration.baseBackoff, maxBackoff: configuration.maxBackoff,
                        using: &state.random)
                    return (budgetOK, delay, state.counters.retries)
                }
                if exhausted {
                    // One unlucky request does not stop the others (the retry budget is what stops a run
                    // against a sick server); the run ends aborted all the same, and a resume resends it.
                    let reason = DeliveryAbortReason.attemptsExhausted(
                        request: request.id, attempts: attempt, lastCause: cause)
                    state.withLock { state in
                        state.counters.requestsGivenUp += 1
                        state.gaveUp = state.gaveUp ?? reason
                    }
                    logger.warning(
                        "giving up on the request", metadata: ["attempts": "\(attempt)", "cause": "\(cause)"])
                    return .unfinished
                }
                if !budgetOK {
                    abort(.retryBudgetExhausted(retries: retries))
                    return .unfinished
                }
                if shouldStopDispatching { return .unfinished }
                logger.debug(
                    "retrying",
                    metadata: ["cause": "\(cause)", "attempt": "\(attempt)", "delay": "\(delay)"])
                events(.retryScheduled(request: request.id, attempt: attempt, delay: delay, cause: cause))
                guard await sleepUnlessHalted(delay) else { return .unfinished }

            case .bisect:
                let detail = ProblemDetails.summary(status: status, body: body)
                guard let (firstHalf, secondHalf) = Bisection.split(sources) else {
                    let rejections = sources.flatMap { source in
                        source.ids.map {
                            ServerRejection(kind: source.kind, id: $0.text, status: status, detail: detail)
                        }
                    }
                    logger.info("id rejected", metadata: ["status": "\(status)", "detail": "\(detail)"])
                    return .rejected(rejections, created: 0)
                }
                logger.info("bisecting", metadata: ["ids": "\(records)", "status": "\(status)", "detail": "\(detail)"])
                events(.bisecting(request: request.id, ids: records, status: status, detail: detail))
                var rejections: [ServerRejection] = []
                var created = 0
                for half in [firstHalf, secondHalf] {
                    state.withLock { $0.counters.bisectionRequests += 1 }
                    switch await sendPiece(
                        half, body: RequestBody.encode(half), of: request, created: landed, logger: logger)
                    {
                    case .delivered(_, let pieceCreated):
                        created += pieceCreated
                    case .rejected(let pieceRejections, let pieceCreated):
                        rejections += pieceRejections
                        created += pieceCreated
                    case .unfinished:
                        return .unfinished
                    }
                }
                if rejections.isEmpty {
                    return .delivered(status: created > 0 ? 201 : 200, created: created)
                }
                return .rejected(rejections, created: created)

            case .rejectAll:
                let detail = ProblemDetails.summary(status: status, body: body)
                logger.notice("request refused", metadata: ["status": "\(status)", "detail": "\(detail)"])
                let rejections = sources.flatMap { source in
                    source.ids.map { ServerRejection(kind: source.kind, id: $0.text, status: status, detail: detail) }
                }
                return .rejected(rejections, created: 0)

            case .abortUnauthorized:
                abort(
                    .unauthorized(
                        status: status, credentialSource: credential.source,
                        detail: ProblemDetails.summary(status: status, body: body)))
                return .unfinished

            case .abortQueueNotFound:
                abort(
                    .queueNotFound(
                        queueID: queueID, endpoint: endpoint.baseURL, credentialSource: credential.source,
                        detail: ProblemDetails.summary(status: status, body: body)))
                return .unfinished

            case .abortUnexpected:
                var detail = ProblemDetails.summary(status: status, body: body)
                if let location = response?.header("Location") { detail += " (redirected to \(location))" }
                abort(.unexpectedResponse(status: status, detail: detail))
                return .unfinished
            }
        }
    }

    /// Waits out a backoff; `false` when the run stopped, aborted or was cancelled meanwhile.
    private func sleepUnlessHalted(_ delay: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { [clock] in (try? await clock.sleep(delay)) != nil }
            group.addTask { [halt] in
                await halt.wait()
                return false
            }
            let slept = await group.next() ?? false
            group.cancelAll()
            return slept && !Task.isCancelled
        }
    }

    private func concurrencyChanged(from: Int, to: Int, logger: Logger) {
        logger.notice("concurrency changed", metadata: ["from": "\(from)", "to": "\(to)"])
        events(.concurrencyChanged(from: from, to: to))
    }

    /// Entries in a 200/201 body's `record_sources` (one per created record), or `nil` if unreadable.
    static func createdCount(_ body: [UInt8]) -> Int? {
        struct Created: Decodable {
            struct Entry: Decodable {
                init(from decoder: any Decoder) throws {}
            }
            var record_sources: [Entry]
        }
        guard !body.isEmpty else { return nil }
        return (try? JSONDecoder().decode(Created.self, from: Data(body)))?.record_sources.count
    }
}
