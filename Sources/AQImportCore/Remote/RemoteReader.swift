import Foundation
import Logging

/// Makes read calls (GET, and POST queries such as `POST /v2/spans`) the way the sender makes
/// deliveries: at most `concurrency` attempts in flight, paced by the same token bucket (`--rate`),
/// 408/425/429/5xx, refused and reset connections, timeouts and lost answers retried with
/// `RetryPolicy` (the server's `Retry-After`, else exponential backoff with full jitter, capped by
/// `--max-backoff`). 429s do not count toward `--max-attempts` (up to eight times as many), as for
/// deliveries. Reads never touch the delivery counters or the journal.
public final class RemoteReader: Sendable {
    public let endpoint: Endpoint
    public let credential: APICredential
    /// Named in errors about the key: `the environment variable ARIZE_API_KEY`, `profile work (...)`.
    public let keySource: String
    private let transport: any HTTPTransport
    private let configuration: SenderConfiguration
    private let clock: DeliveryClock
    private let wallClock: @Sendable () -> Timestamp
    private let logger: Logger
    private let rateLimiter: RateLimiter
    private let gate: ConcurrencyGate
    private let state: Locked<State>

    private struct State {
        var counters = RemoteReadCounters()
        var random: any RandomNumberGenerator
        var aimd: AIMDController
    }

    /// `configuration` is the delivery's: its concurrency, rate, attempts, backoff, timeout, user agent
    /// and `allowInsecureHTTP` apply to reads as they do to deliveries.
    public init(
        transport: any HTTPTransport, endpoint: Endpoint, credential: APICredential, keySource: String? = nil,
        configuration: SenderConfiguration = SenderConfiguration(), clock: any Clock<Duration> = ContinuousClock(),
        wallClock: @escaping @Sendable () -> Timestamp = Sender.systemTime,
        random: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator(),
        logger: Logger = Logger(label: "aq-import.remote")
    ) {
        self.transport = transport
        self.endpoint = endpoint
        self.credential = credential
        self.keySource = keySource ?? credential.source.description
        self.configuration = configuration
        self.clock = DeliveryClock(clock)
        self.wallClock = wallClock
        self.logger = logger
        self.rateLimiter = RateLimiter(rate: configuration.rate, clock: clock)
        self.gate = ConcurrencyGate(limit: configuration.concurrency)
        self.state = Locked(
            State(
                random: random,
                aimd: AIMDController(
                    maximum: configuration.concurrency,
                    successesPerIncrease: configuration.successesPerConcurrencyIncrease)))
    }

    /// What the reads so far cost.
    public var counters: RemoteReadCounters { state.withLock { $0.counters } }

    /// Reads allowed in flight now: `--concurrency`, halved by 429s and raised back by successes as
    /// for deliveries (`AIMDController`).
    public var concurrencyLimit: Int { state.withLock { $0.aimd.limit } }

    // MARK: Calls

    /// The final answer to `read`, whatever its status, once retries are over: a retryable status is
    /// returned when the attempts ran out. Throws when no answer came back at all.
    public func response(_ read: RemoteRead) async throws(RemoteError) -> HTTPResponse {
        do {
            try endpoint.requireSecureTransport(allowInsecureHTTP: configuration.allowInsecureHTTP)
        } catch {
            throw .transport(.invalidRequest(error.localizedDescription))
        }
        var headers: [(name: String, value: String)] = [
            ("Authorization", credential.authorization), ("Accept", "application/json"),
            ("User-Agent", configuration.userAgent),
        ]
        if read.body != nil { headers.append(("Content-Type", "application/json")) }
        let request = HTTPRequest(
            method: read.method, url: endpoint.url(path: read.target), headers: headers, body: read.body ?? [],
            timeout: configuration.requestTimeout)
        defer { state.withLock { $0.counters.reads += 1 } }

        var attempt = 0
        var throttledAttempts = 0
        while true {
            attempt += 1
            guard await gate.acquire() else { throw .cancelled }
            do {
                try await rateLimiter.acquire()
            } catch {
                gate.release()
                throw .cancelled
            }
            let epoch = state.withLock { state in
                state.counters.attempts += 1
                return state.aimd.epoch
            }
            let answer: Result<HTTPResponse, any Error>
            do {
                answer = .success(try await transport.send(request))
            } catch {
                answer = .failure(error)
            }
            // As in the sender: the limit moves before the permit goes back.
            if case .success(let response) = answer {
                state.withLock { state in
                    let decision = RetryPolicy.decide(status: response.status)
                    let changed =
                        decision == .success
                        ? state.aimd.succeeded()
                        : decision == .retry(.status(429)) && state.aimd.throttled(sentInEpoch: epoch)
                    if changed { gate.setLimit(state.aimd.limit) }
                }
            }
            gate.release()

            let cause: RetryCause
            var retryAfter: String?
            switch answer {
            case .success(let response):
                guard case .retry(let retryCause) = RetryPolicy.decide(status: response.status) else {
                    return response
                }
                cause = retryCause
                retryAfter = response.header("Retry-After")
            case .failure(let error) where error is CancellationError:
                throw .cancelled
            case .failure(let error):
                let error = error as? TransportError ?? .noResponse(String(describing: error))
                state.withLock { $0.counters.transportErrors += 1 }
                guard case .retry(let retryCause) = RetryPolicy.decide(error: error) else {
                    throw .transport(error)
                }
                cause = retryCause
            }

            let isThrottle = cause == .status(429)
            if isThrottle { throttledAttempts += 1 }
            let exhausted =
                isThrottle
                ? throttledAttempts >= configuration.maxAttempts * Sender.throttledAttemptsPerAttempt
                : attempt - throttledAttempts >= configuration.maxAttempts
            let delay = state.withLock { state -> Duration in
                if case .status(let code) = cause {
                    if code == 429 {
                        state.counters.throttled += 1
                    } else if code >= 500 {
                        state.counters.serverErrors += 1
                    }
                }
                guard !exhausted else { return .zero }
                state.counters.retries += 1
                return RetryPolicy.delay(
                    failedAttempt: attempt, retryAfter: retryAfter,
                    now: wallClock(), baseBackoff: configuration.baseBackoff, maxBackoff: configuration.maxBackoff,
                    using: &state.random)
            }
            if exhausted {
                logger.warning("giving up on a read", metadata: ["request": "\(read)", "cause": "\(cause)"])
                if case .success(let response) = answer { return response }
                if case .transport(let error) = cause { throw .transport(error) }
                throw .transport(.noResponse(cause.description))
            }
            logger.debug(
                "retrying a read",
                metadata: ["request": "\(read)", "cause": "\(cause)", "attempt": "\(attempt)", "delay": "\(delay)"])
            do {
                try await clock.sleep(delay)
            } catch {
                throw .cancelled
            }
        }
    }

    /// The body of a 2xx answer to `read`. 401 and 403 throw `.unauthorized` (naming the key's
    /// source), any other status `.http` with the server's detail.
    public func body(_ read: RemoteRead) async throws(RemoteError) -> [UInt8] {
        let response = try await response(read)
        try requireSuccess(response, read: read)
        return response.body
    }

    /// A 2xx answer's body decoded as `Value`.
    public func decode<Value: Decodable>(_ type: Value.Type, _ read: RemoteRead) async throws(RemoteError) -> Value {
        let body = try await body(read)
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch {
            throw .malformedResponse(request: read.description, reason: Self.reason(error))
        }
    }

    // MARK: Paging

    /// Reads a listing page by page (`limit`, then `cursor` from each page's `pagination`) and hands
    /// each page's items, under `itemsKey` (`records`, `spans`, `examples`, ...), to `handle`, which
    /// returns whether to read on. Stops after the last page (no `next_cursor`, or `has_more` false),
    /// when `handle` says so, or after `maxPages` (against a server whose cursor never ends). Returns
    /// whether the listing was read to its end.
    @discardableResult
    public func forEachPage<Item: Decodable & Sendable>(
        _ read: RemoteRead, itemsKey: String, limit: Int, maxPages: Int = 10_000,
        _ handle: ([Item]) -> Bool
    ) async throws(RemoteError) -> Bool {
        var cursor: String?
        for _ in 0..<max(maxPages, 1) {
            let page: RemotePage<Item> = try await page(read, itemsKey: itemsKey, limit: limit, cursor: cursor)
            guard handle(page.items) else { return false }
            guard let next = page.nextCursor else { return true }
            cursor = next
        }
        return false
    }

    /// One page of a list: the first (no `cursor`) or the one a cursor names.
    func page<Item: Decodable & Sendable>(_ read: RemoteRead, itemsKey: String, limit: Int, cursor: String?)
        async throws(RemoteError) -> RemotePage<Item>
    {
        var parameters: [(name: String, value: String)] = [("limit", String(limit))]
        if let cursor { parameters.append(("cursor", cursor)) }
        return try await page(read.adding(parameters), itemsKey: itemsKey)
    }

    private func page<Item: Decodable & Sendable>(_ read: RemoteRead, itemsKey: String) async throws(RemoteError)
        -> RemotePage<Item>
    {
        let body = try await body(read)
        // Queue listings are the long ones (one page per 500 records): read in one pass when it can.
        if Item.self == QueueRecord.self, let scanned = QueueRecordPageScanner.scan(body, itemsKey: itemsKey) {
            return RemotePage(items: scanned.records as! [Item], nextCursor: scanned.nextCursor)
        }
        let decoder = JSONDecoder()
        decoder.userInfo[RemotePage<Item>.itemsKey] = itemsKey
        do {
            return try decoder.decode(RemotePage<Item>.self, from: Data(body))
        } catch {
            throw .malformedResponse(request: read.description, reason: Self.reason(error))
        }
    }

    // MARK: Errors

    private func requireSuccess(_ response: HTTPResponse, read: RemoteRead) throws(RemoteError) {
        switch response.status {
        case 200..<300:
            return
        case 401, 403:
            throw .unauthorized(
                status: response.status, keySource: keySource,
                detail: ProblemDetails.parse(response.body).flatMap { $0.detail ?? $0.title } ?? "")
        default:
            throw .http(
                status: response.status, request: read.description,
                detail: ProblemDetails.summary(status: response.status, body: response.body))
        }
    }

    static func reason(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?: "no \(key.stringValue) field"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case .dataCorrupted?: "not JSON"
        default: String(describing: error)
        }
    }
}
