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

    private struct State {
        var queues: [String: QueueStore] = [:]
        /// dataset id -> example ids added to any queue, first seen first (the listing without a catalogue)
        var examplesSeen: [String: [String]] = [:]
        var examplesSeenKeys: Set<String> = []
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
        var addRecordsRequests = 0
        var deleteRecordsRequests = 0
        var readRequests = 0
        var recordsDeleted = 0
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
            for id in queueIDs { stored[id] = state.queues[id]?.count ?? 0 }
            return TestServerStats(
                requestsByStatus: state.requestsByStatus,
                requestsTotal: state.requestsTotal,
                addRecordsRequests: state.addRecordsRequests,
                deleteRecordsRequests: state.deleteRecordsRequests,
                readRequests: state.readRequests,
                recordsStored: stored,
                recordsStoredTotal: stored.values.reduce(0, +),
                recordsDeleted: state.recordsDeleted,
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
        state.withLock { $0.queues[queueID]?.all.map(\.sourceID) ?? [] }
    }

    // MARK: Request path

    func admit(_ operation: RequestOperation) -> Admission {
        state.withLock { state in
            state.requestsTotal += 1
            switch operation {
            case .addRecords: state.addRecordsRequests += 1
            case .deleteRecords: state.deleteRecordsRequests += 1
            case .read: state.readRequests += 1
            }
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
        var keyed: [(key: String, record: StoredRecord)] = []
        for source in sources {
            for (offset, id) in source.ids.enumerated() {
                let time = offset < source.startTimes.count ? source.startTimes[offset] : nil
                let related: (trace: String?, session: String?) =
                    offset < source.relations.count ? source.relations[offset] : (nil, nil)
                keyed.append(
                    (
                        QueueStore.key(kind: source.kind, scope: source.scope, sourceID: id),
                        StoredRecord(
                            number: 0, kind: source.kind, scope: source.scope, sourceID: id, startTime: time,
                            traceID: related.trace, sessionID: related.session)
                    ))
            }
        }
        return state.withLock { state in
            state.unknownIgnored += unknownIgnored
            var created: [StoredRecord] = []
            var queue = state.queues.removeValue(forKey: queueID) ?? QueueStore()
            for (key, draft) in keyed {
                if queue.contains(key: key) {
                    state.duplicateIDs += 1
                    continue
                }
                var record = draft
                record.number = state.nextRecordNumber
                state.nextRecordNumber += 1
                queue.append(record, key: key)
                created.append(record)
                if record.kind == .example, state.examplesSeenKeys.insert(key).inserted {
                    state.examplesSeen[record.scope, default: []].append(record.sourceID)
                }
            }
            state.queues[queueID] = queue
            return created
        }
    }

    /// Deletes the queue's records with these ids; ids it did not issue for this queue are ignored.
    @discardableResult
    func deleteRecords(queueID: String, recordIDs: [String]) -> Int {
        let numbers = recordIDs.compactMap(StoredRecord.number(fromID:))
        return state.withLock { state in
            guard var queue = state.queues.removeValue(forKey: queueID) else { return 0 }
            let deleted = queue.delete(numbers: numbers)
            state.queues[queueID] = queue
            state.recordsDeleted += deleted
            return deleted
        }
    }

    /// A page of a queue's records numbered `from` or above, and whether more follow.
    func records(queueID: String, from: Int, limit: Int) -> (records: [StoredRecord], hasMore: Bool) {
        state.withLock { state in
            state.queues[queueID]?.page(from: from, limit: limit) ?? ([], false)
        }
    }

    /// Example ids of a dataset added to any queue so far, first seen first.
    func examplesSeen(dataset: String) -> [String] {
        state.withLock { $0.examplesSeen[dataset] ?? [] }
    }
}
