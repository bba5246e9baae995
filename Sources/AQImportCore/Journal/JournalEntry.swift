import Foundation

/// One line of the journal.
///
/// On disk every line is a JSON object whose first member is `"c"`, the CRC-32 (8 hex digits) of the
/// same object without that member, i.e. of the bytes `{` followed by everything after the `"c"`
/// member and its comma:
/// ```
/// {"c":"3f1a09b2","id":"0af3…","type":"sent"}
/// ```
public enum JournalEntry: Sendable, Hashable {
    /// The first line: what run the journal belongs to.
    case header(JournalHeader)
    /// A later run picked the journal up again.
    case resumed(at: Date, toolVersion: String)
    /// A pending input (standard input) was fingerprinted once read.
    case input(InputFingerprint)
    /// Written (and fsynced) before the request leaves.
    case sent(RequestID)
    /// The server took every record (200 or 201).
    case done(RequestID, status: Int, created: Int)
    /// Some ids were refused; the others were delivered.
    case rejected(RequestID, rejections: [ServerRejection], created: Int)
    /// The run got through its whole plan.
    case finished(at: Date)
    /// What this run planned and the command that started it, for `aq-import status`.
    case planned(requests: Int, records: Int, command: [String], directory: String)
    /// Just before `done`/`rejected`: the request's ids and the records its 201 answers created.
    case landed(RequestID, JournalLanding)
    /// Before the first request: the planned ids the queue already held (`records`: how many it held).
    case baseline(JournalMatches, records: Int)
    /// After delivery: ids no 201 confirmed that the queue holds and the baseline did not (created by
    /// this import, their answers lost on the way).
    case found(JournalMatches)
    /// A verification's result, per kind (`RecordKind.rawValue`).
    case verified(at: Date, counts: [String: ReconciliationCounts])
    /// An undo began: it deletes `records` records in `batches` DELETE requests.
    case undoPlanned(batches: Int, records: Int)
    /// One undo batch (by the hash of its DELETE body) is done.
    case deleted(RequestID)
    /// Every batch of the undo is done: the records this import created are gone.
    case undone(at: Date)
}

extension JournalEntry: Codable {
    private enum CodingKeys: String, CodingKey {
        case type, header, at, toolVersion, input, id, status, created, rejections, requests, records, command,
            directory, landing, matches, counts, batches
    }

    private enum Kind: String, Codable {
        case header, resumed, input, sent, done, rejected, finished, planned, landed, baseline, found, verified,
            undoPlanned, deleted, undone
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .header(let header):
            try container.encode(Kind.header, forKey: .type)
            try container.encode(header, forKey: .header)
        case .resumed(let at, let toolVersion):
            try container.encode(Kind.resumed, forKey: .type)
            try container.encode(at, forKey: .at)
            try container.encode(toolVersion, forKey: .toolVersion)
        case .input(let fingerprint):
            try container.encode(Kind.input, forKey: .type)
            try container.encode(fingerprint, forKey: .input)
        case .sent(let id):
            try container.encode(Kind.sent, forKey: .type)
            try container.encode(id.hex, forKey: .id)
        case .done(let id, let status, let created):
            try container.encode(Kind.done, forKey: .type)
            try container.encode(id.hex, forKey: .id)
            try container.encode(status, forKey: .status)
            try container.encode(created, forKey: .created)
        case .rejected(let id, let rejections, let created):
            try container.encode(Kind.rejected, forKey: .type)
            try container.encode(id.hex, forKey: .id)
            try container.encode(rejections, forKey: .rejections)
            try container.encode(created, forKey: .created)
        case .finished(let at):
            try container.encode(Kind.finished, forKey: .type)
            try container.encode(at, forKey: .at)
        case .planned(let requests, let records, let command, let directory):
            try container.encode(Kind.planned, forKey: .type)
            try container.encode(directory, forKey: .directory)
            try container.encode(requests, forKey: .requests)
            try container.encode(records, forKey: .records)
            try container.encode(command, forKey: .command)
        case .landed(let id, let landing):
            try container.encode(Kind.landed, forKey: .type)
            try container.encode(id.hex, forKey: .id)
            try container.encode(landing, forKey: .landing)
        case .baseline(let matches, let records):
            try container.encode(Kind.baseline, forKey: .type)
            try container.encode(matches, forKey: .matches)
            try container.encode(records, forKey: .records)
        case .found(let matches):
            try container.encode(Kind.found, forKey: .type)
            try container.encode(matches, forKey: .matches)
        case .verified(let at, let counts):
            try container.encode(Kind.verified, forKey: .type)
            try container.encode(at, forKey: .at)
            try container.encode(counts, forKey: .counts)
        case .undoPlanned(let batches, let records):
            try container.encode(Kind.undoPlanned, forKey: .type)
            try container.encode(batches, forKey: .batches)
            try container.encode(records, forKey: .records)
        case .deleted(let id):
            try container.encode(Kind.deleted, forKey: .type)
            try container.encode(id.hex, forKey: .id)
        case .undone(let at):
            try container.encode(Kind.undone, forKey: .type)
            try container.encode(at, forKey: .at)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func requestID() throws -> RequestID {
            let hex = try container.decode(String.self, forKey: .id)
            guard let id = RequestID(hex: hex) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .id, in: container, debugDescription: "not a request id: \(hex.debugDescription)")
            }
            return id
        }
        switch try container.decode(Kind.self, forKey: .type) {
        case .header:
            self = .header(try container.decode(JournalHeader.self, forKey: .header))
        case .resumed:
            self = .resumed(
                at: try container.decode(Date.self, forKey: .at),
                toolVersion: try container.decode(String.self, forKey: .toolVersion))
        case .input:
            self = .input(try container.decode(InputFingerprint.self, forKey: .input))
        case .sent:
            self = .sent(try requestID())
        case .done:
            self = .done(
                try requestID(), status: try container.decode(Int.self, forKey: .status),
                created: try container.decode(Int.self, forKey: .created))
        case .rejected:
            self = .rejected(
                try requestID(), rejections: try container.decode([ServerRejection].self, forKey: .rejections),
                created: try container.decode(Int.self, forKey: .created))
        case .finished:
            self = .finished(at: try container.decode(Date.self, forKey: .at))
        case .planned:
            self = .planned(
                requests: try container.decode(Int.self, forKey: .requests),
                records: try container.decode(Int.self, forKey: .records),
                command: try container.decode([String].self, forKey: .command),
                directory: try container.decode(String.self, forKey: .directory))
        case .landed:
            self = .landed(try requestID(), try container.decode(JournalLanding.self, forKey: .landing))
        case .baseline:
            self = .baseline(
                try container.decode(JournalMatches.self, forKey: .matches),
                records: try container.decode(Int.self, forKey: .records))
        case .found:
            self = .found(try container.decode(JournalMatches.self, forKey: .matches))
        case .verified:
            self = .verified(
                at: try container.decode(Date.self, forKey: .at),
                counts: try container.decode([String: ReconciliationCounts].self, forKey: .counts))
        case .undoPlanned:
            self = .undoPlanned(
                batches: try container.decode(Int.self, forKey: .batches),
                records: try container.decode(Int.self, forKey: .records))
        case .deleted:
            self = .deleted(try requestID())
        case .undone:
            self = .undone(at: try container.decode(Date.self, forKey: .at))
        }
    }
}
