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
        case .planned(let requests, let records, let command, let directory):
            plannedRequests = requests
            plannedRecords = records
            self.command = command
            commandDirectory = directory
        }
    }
}
