import Foundation

/// `aq-import undo`: deletes the records an import created, and only those, in DELETE requests of
/// 100 record ids, each journaled once done, so that a killed undo resumes where it stopped and a
/// repeated one sends nothing.
///
/// The records to delete come from the journal: those a 201 tied to the import, and those a
/// verification found that no 201 had confirmed (answers lost) and the baseline did not hold. When
/// some delivered id is still unsettled, the queue is listed first (needs the baseline); ids that
/// were in the queue before the import are never deleted.
public struct Undo: Sendable {
    public static let batchSize = 100

    public struct Batch: Sendable, Hashable {
        public var id: RequestID
        public var recordIDs: [String]
        public var body: [UInt8]
    }

    public struct Plan: Sendable {
        public var batches: [Batch]
        /// Batches an interrupted undo already did.
        public var done: Set<RequestID>
        public var alreadyUndone: Bool
        public var recordCount: Int { batches.reduce(0) { $0 + $1.recordIDs.count } }
        public var pending: [Batch] { batches.filter { !done.contains($0.id) } }
        /// Delivered ids that were in the queue before the import, which undo leaves.
        public var keptAlreadyPresent: Int
    }

    public enum Problem: Error, Sendable, LocalizedError {
        case unfinishedImport(path: String, inFlight: Int)
        case deleteFailed(status: Int, detail: String)
        case queueMissing(String)

        public var errorDescription: String? {
            switch self {
            case .unfinishedImport(let path, let inFlight):
                "\(inFlight) request(s) of the import in \(path) were in flight when it stopped, so what they created "
                    + "is not known: resume the import first (aq-import status \(path) shows the command), then undo"
            case .deleteFailed(let status, let detail):
                "DELETE of queue records failed: \(detail.isEmpty ? "status \(status)" : detail)"
            case .queueMissing(let queue):
                "queue \(queue) not found (was it deleted, or is the key for another space?)"
            }
        }
    }

    public let reader: RemoteReader
    public let queueID: String

    public init(reader: RemoteReader, queueID: String) {
        self.reader = reader
        self.queueID = queueID
    }

    /// The batches to delete. Lists the queue first (and journals what it found) when some delivered id
    /// is unsettled and no undo has begun yet.
    public func plan(journal: Journal, state: JournalState) async throws -> Plan {
        if state.undone {
            return Plan(batches: [], done: [], alreadyUndone: true, keptAlreadyPresent: 0)
        }
        if !state.unsettled.isEmpty && state.undoPlanned == nil {
            throw Problem.unfinishedImport(path: journal.path, inFlight: state.unsettled.count)
        }
        var delivered = DeliveredIDs(state: state)
        var state = state
        if state.undoPlanned == nil && delivered.hasUnconfirmed && state.baseline != nil {
            let verifier = Verifier(listing: QueueListing(reader: reader, queueID: queueID))
            let result = try await verifier.reconcile(state, mode: .always)
            if !result.newlyFound.isEmpty {
                try await journal.recordFound(result.newlyFound)
                state.found += result.newlyFound
                delivered = DeliveredIDs(state: state)
            }
        }
        let kept = delivered.entries.filter(\.inBaseline).count
        let batches = Self.batches(of: delivered.createdRecordIDs)
        return Plan(batches: batches, done: state.deletedBatches, alreadyUndone: false, keptAlreadyPresent: kept)
    }

    /// Record ids sorted by bytes and without repeats, cut into batches of 100; each batch's id is the
    /// hash of its body, so the same journal always gives the same batches.
    static func batches(of recordIDs: [String]) -> [Batch] {
        var seen = Set<[UInt8]>()
        let unique = recordIDs.map { Array($0.utf8) }.filter { seen.insert($0).inserted }.sorted {
            $0.lexicographicallyPrecedes($1)
        }
        var batches: [Batch] = []
        var start = 0
        while start < unique.count {
            let chunk = unique[start..<min(start + batchSize, unique.count)].map { String(decoding: $0, as: UTF8.self) }
            var body = Array(#"{"record_ids":["#.utf8)
            for (index, id) in chunk.enumerated() {
                if index > 0 { body.append(UInt8(ascii: ",")) }
                RequestBody.appendJSONString(id, to: &body)
            }
            body.append(contentsOf: "]}".utf8)
            batches.append(Batch(id: RequestID(body: body), recordIDs: chunk, body: body))
            start += batchSize
        }
        return batches
    }

    /// Sends the plan's pending batches (the reader's concurrency, retries and pacing), journals each,
    /// then `undone`. Returns the records deleted by this run.
    public func execute(_ plan: Plan, journal: Journal, concurrency: Int) async throws -> Int {
        let pending = plan.pending
        if plan.done.isEmpty {
            try await journal.recordUndoPlanned(batches: plan.batches.count, records: plan.recordCount)
        }
        let path = APIPath.records(queueID: queueID)
        var deleted = 0
        try await withThrowingTaskGroup(of: Int.self) { group in
            var next = 0
            func add() {
                let batch = pending[next]
                next += 1
                group.addTask {
                    let read = RemoteRead(method: "DELETE", path: path, query: [], body: batch.body)
                    let response = try await reader.response(read)
                    switch response.status {
                    case 200..<300: break
                    case 404: throw Problem.queueMissing(queueID)
                    case 401, 403:
                        throw RemoteError.unauthorized(
                            status: response.status, keySource: reader.keySource,
                            detail: ProblemDetails.summary(status: response.status, body: response.body))
                    default:
                        throw Problem.deleteFailed(
                            status: response.status,
                            detail: ProblemDetails.summary(status: response.status, body: response.body))
                    }
                    try await journal.recordDeleted(batch.id)
                    return batch.recordIDs.count
                }
            }
            while next < pending.count && next < max(concurrency, 1) { add() }
            while let count = try await group.next() {
                deleted += count
                if next < pending.count { add() }
            }
        }
        try await journal.recordUndone()
        return deleted
    }
}
