import Foundation

/// What a journal says happened, as replayed from disk: which requests are settled and which may have
/// reached the server without an answer being recorded.
public struct JournalState: Sendable {
    /// A request the server took whole.
    public struct Delivery: Sendable, Hashable {
        public var status: Int
        public var created: Int
    }

    /// A request with some ids refused.
    public struct PartialRejection: Sendable, Hashable {
        public var rejections: [ServerRejection]
        public var created: Int
    }

    /// The header as first written, with pending inputs completed by later `input` lines.
    public var header: JournalHeader
    /// Requests recorded `done` (the last answer wins if one was recorded twice).
    public var done: [RequestID: Delivery] = [:]
    /// Requests recorded `rejected`.
    public var rejected: [RequestID: PartialRejection] = [:]
    /// Requests recorded `sent` and then neither `done` nor `rejected`: they may have reached the
    /// server, and must be sent again (the server de-duplicates).
    public var unsettled: Set<RequestID> = []
    /// Number of `sent` lines, and how many of them were for a request already settled (a resume should
    /// never do that; the kill-and-resume proof checks it stays 0).
    public var sentLines = 0
    public var sentAfterSettled = 0
    /// Runs that wrote to this journal (the first, plus one per resume).
    public var runs = 1
    /// Whether the last run recorded `finished` and nothing was sent after it.
    public var finished = false
    /// Complete, valid lines.
    public var lineCount = 0
    /// Bytes of the valid lines; anything after (a torn last line) is cut off before appending.
    public var validLength: Int64 = 0
    /// Bytes of a torn or corrupt last line that replay ignored (0 when the file ended cleanly).
    public var ignoredTailBytes: Int64 = 0

    public init(header: JournalHeader) {
        self.header = header
    }

    /// Whether the request needs no sending: it was recorded `done` or `rejected`.
    public func isSettled(_ id: RequestID) -> Bool {
        done[id] != nil || rejected[id] != nil
    }

    /// Records created according to the journal.
    public var recordsCreated: Int {
        done.values.reduce(0) { $0 + $1.created } + rejected.values.reduce(0) { $0 + $1.created }
    }

    /// Ids refused by the server according to the journal.
    public var rejectedIDCount: Int {
        rejected.values.reduce(0) { $0 + $1.rejections.count }
    }

    /// The last run's plan size and command line (`planned` lines), when known.
    public var plannedRequests: Int?
    public var plannedRecords: Int?
    public var command: [String]?
    public var commandDirectory: String?

    /// Per settled request, what it landed (one entry per `landed` line: a request resent after a crash
    /// between its `landed` and `done` lines has two, whose created records add up).
    public var landings: [RequestID: [JournalLanding]] = [:]
    /// Whether the landings keep the record ids their 201s created (`Journal.replayForReconciling` drops
    /// them: only undo needs them).
    public var recordIDsKept = true
    /// The planned ids the queue held before the first request, when that was looked at.
    public var baseline: [JournalMatches.Match]?
    /// Records the queue held before the first request (from the baseline listing).
    public var baselineRecords: Int?
    /// Ids found in the queue after delivery without a 201 confirming them (created by this import).
    public var found: [JournalMatches.Match] = []
    /// The last verification's counts per kind, and when it ran.
    public var verification: (at: Date, counts: [String: ReconciliationCounts])?
    /// Undo: planned batches, the batches done, and whether it finished.
    public var undoPlanned: (batches: Int, records: Int)?
    public var deletedBatches: Set<RequestID> = []
    public var undone = false

    /// Whether any request was ever sent under this journal.
    public var anySent: Bool { sentLines > 0 }

    mutating func apply(_ entry: JournalEntry) {
        switch entry {
        case .header:
            break
        case .resumed:
            runs += 1
        case .input(let fingerprint):
            if let index = header.inputs.firstIndex(where: { $0.path == fingerprint.path }) {
                header.inputs[index] = fingerprint
            } else {
                header.inputs.append(fingerprint)
            }
        case .sent(let id):
            sentLines += 1
            if isSettled(id) {
                sentAfterSettled += 1
            } else {
                unsettled.insert(id)
            }
            finished = false
        case .done(let id, let status, let created):
            unsettled.remove(id)
            rejected[id] = nil
            done[id] = Delivery(status: status, created: created)
        case .rejected(let id, let rejections, let created):
            unsettled.remove(id)
            done[id] = nil
            rejected[id] = PartialRejection(rejections: rejections, created: created)
        case .finished:
            finished = true
        case .landed(let id, let landing):
            landings[id, default: []].append(landing)
        case .baseline(let matches, let records):
            baseline = (baseline ?? []) + matches.matches
            baselineRecords = (baselineRecords ?? 0) + records
        case .found(let matches):
            found += matches.matches
        case .verified(let at, let counts):
            verification = (at, counts)
        case .undoPlanned(let batches, let records):
            undoPlanned = (batches, records)
        case .deleted(let id):
            deletedBatches.insert(id)
        case .undone:
            undone = true
        case .planned(let requests, let records, let command, let directory):
            plannedRequests = requests
            plannedRecords = records
            self.command = command
            commandDirectory = directory
        }
    }
}
