import Foundation
import Synchronization

/// The double's mutable world: stored records, counters, fault settings and the seeded fault draws, behind
/// one `Mutex` whose critical sections are a few dictionary operations long. Tests hold it through
/// `RunningTestServer.control` to read stats, change faults and reset between cases.
public final class TestServerControl: Sendable {
    /// How a request is let in, decided at its arrival.
    enum Admission: Sendable {
        case proceed(fault: FaultKind?, latency: Duration?, retryAfter: String?)
        /// Refused by the rate limit or the concurrency limit: 429 with this Retry-After.
        case limited(kind: String, retryAfter: String)
    }

    private struct QueueRecords {
        var keys: Set<String> = []
        var records: [StoredRecord] = []
    }

    private struct State {
        var queues: [String: QueueRecords] = [:]
        var nextRecordNumber = 1
        var faults: FaultSettings
        var rng: SplitMix64
        var jitterRNG: SplitMix64
        var tokens: Double = 0
        var lastRefill: ContinuousClock.Instant? = nil
        var inFlight = 0
        var peakConcurrent = 0
        var requestsByStatus: [String: Int] = [:]
        var requestsTotal = 0
        var duplicateIDs = 0
        var unknownIgnored = 0
        var faultsInjected: [String: Int] = [:]
    }

    private let state: Mutex<State>
    private let seed: UInt64
    let queueIDs: [String]

    init(faults: FaultSettings, seed: UInt64, queueIDs: [String]) {
        self.seed = seed
        self.queueIDs = queueIDs
        var initial = State(faults: faults, rng: SplitMix64(seed: seed), jitterRNG: SplitMix64(seed: ~seed))
        Self.refillFully(&initial)
        state = Mutex(initial)
    }

    private static func refillFully(_ state: inout State) {
        state.tokens = Double(state.faults.rateLimit ?? 0)
        state.lastRefill = nil
    }

    // MARK: Public control

    public func stats() -> TestServerStats {
        state.withLock { state in
            var stored: [String: Int] = [:]
            for id in queueIDs { stored[id] = state.queues[id]?.records.count ?? 0 }
            return TestServerStats(
                requestsByStatus: state.requestsByStatus,
                requestsTotal: state.requestsTotal,
                recordsStored: stored,
                recordsStoredTotal: stored.values.reduce(0, +),
                duplicateIDsReceived: state.duplicateIDs,
                unknownIDsIgnored: state.unknownIgnored,
                peakConcurrent: state.peakConcurrent,
                inFlight: state.inFlight,
                faultsInjected: state.faultsInjected
            )
        }
    }

    public var faults: FaultSettings {
        state.withLock { $0.faults }
    }

    /// Replaces the fault settings; the token bucket starts full again. The fault draw sequence goes on.
    public func setFaults(_ faults: FaultSettings) {
        state.withLock { state in
            state.faults = faults
            Self.refillFully(&state)
        }
    }

    /// Empties the store and the counters and restarts the fault sequence from the seed; the fault settings stay.
    public func reset() {
        state.withLock { state in
            let inFlight = state.inFlight
            state = State(faults: state.faults, rng: SplitMix64(seed: seed), jitterRNG: SplitMix64(seed: ~seed))
            state.inFlight = inFlight
            Self.refillFully(&state)
        }
    }

    /// Source ids stored in a queue, in creation order (for assertions in tests).
    public func storedIDs(queueID: String) -> [String] {
        state.withLock { $0.queues[queueID]?.records.map(\.sourceID) ?? [] }
    }

    // MARK: Request path

    func admit() -> Admission {
        state.withLock { state in
            state.requestsTotal += 1
            let draw = state.rng.nextUnit()
            let faults = state.faults
            if let max = faults.maxConcurrent, state.inFlight >= max {
                state.faultsInjected["max-concurrent", default: 0] += 1
                return .limited(kind: "max-concurrent", retryAfter: "1")
            }
            if let rate = faults.rateLimit, rate > 0 {
                let now = ContinuousClock.now
                if let last = state.lastRefill {
                    let elapsed = last.duration(to: now)
                    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                    state.tokens = min(Double(rate), state.tokens + seconds * Double(rate))
                }
                state.lastRefill = now
                if state.tokens >= 1 {
                    state.tokens -= 1
                } else {
                    state.faultsInjected["rate-limit", default: 0] += 1
                    let wait = max(1, Int(((1 - state.tokens) / Double(rate)).rounded(.up)))
                    return .limited(kind: "rate-limit", retryAfter: String(wait))
                }
            }
            state.inFlight += 1
            state.peakConcurrent = max(state.peakConcurrent, state.inFlight)
            let fault = faults.fault(forDraw: draw)
            if let fault { state.faultsInjected[fault.rawValue, default: 0] += 1 }
            var latency: Duration? = nil
            if let configured = faults.latency, configured.meanMilliseconds > 0 || configured.jitterMilliseconds > 0 {
                let jitter = configured.jitterMilliseconds
                let offset = jitter > 0 ? Int(state.jitterRNG.next() % UInt64(2 * jitter + 1)) - jitter : 0
                latency = .milliseconds(max(0, configured.meanMilliseconds + offset))
            }
            var retryAfter: String? = nil
            if fault == .tooManyRequests || fault == .serviceUnavailable {
                retryAfter = faults.retryAfter.headerValue(now: Int64(Date().timeIntervalSince1970))
            }
            return .proceed(fault: fault, latency: latency, retryAfter: retryAfter)
        }
    }

    /// Counts a refused request (never admitted, so not in flight).
    func countRefused(status: String) {
        state.withLock { $0.requestsByStatus[status, default: 0] += 1 }
    }

    /// Ends an admitted request.
    func finish(status: String) {
        state.withLock { state in
            state.inFlight -= 1
            state.requestsByStatus[status, default: 0] += 1
        }
    }

    /// Stores what is new for the queue and returns the created records, in request order.
    func addRecords(queueID: String, sources: [RecordSource], unknownIgnored: Int) -> [StoredRecord] {
        var keyed: [(String, RecordKind, String, String)] = []
        for source in sources {
            for id in source.ids {
                keyed.append(("\(source.kind.rawValue)\u{1F}\(source.scope)\u{1F}\(id)", source.kind, source.scope, id))
            }
        }
        return state.withLock { state in
            state.unknownIgnored += unknownIgnored
            var created: [StoredRecord] = []
            var queue = state.queues.removeValue(forKey: queueID) ?? QueueRecords()
            for (key, kind, scope, id) in keyed {
                if queue.keys.insert(key).inserted {
                    let record = StoredRecord(number: state.nextRecordNumber, kind: kind, scope: scope, sourceID: id)
                    state.nextRecordNumber += 1
                    queue.records.append(record)
                    created.append(record)
                } else {
                    state.duplicateIDs += 1
                }
            }
            state.queues[queueID] = queue
            return created
        }
    }

    /// A page of a queue's records and whether more follow.
    func records(queueID: String, offset: Int, limit: Int) -> (records: [StoredRecord], hasMore: Bool) {
        state.withLock { state in
            let all = state.queues[queueID]?.records ?? []
            guard offset < all.count else { return ([], false) }
            let end = min(all.count, offset + limit)
            return (Array(all[offset..<end]), end < all.count)
        }
    }
}
