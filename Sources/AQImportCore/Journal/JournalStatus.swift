import Foundation

/// What `aq-import status` shows of one journal: how far the import got, whether its inputs changed
/// since, and the command that resumes it.
public struct JournalStatus: Sendable {
    public struct InputStatus: Sendable {
        public var path: String
        /// `nil` when unchanged; otherwise what differs (or that the file is gone).
        public var change: String?
    }

    public var path: String
    public var queueID: String
    public var endpointHost: String
    public var runs: Int
    public var finished: Bool
    public var requestsPlanned: Int?
    public var requestsDone: Int
    public var requestsWithRejections: Int
    public var requestsInFlightAtStop: Int
    public var recordsPlanned: Int?
    public var recordsCreated: Int
    public var idsRejected: Int
    public var inputs: [InputStatus]
    public var resumeCommand: String?
    /// The ids delivered so far, settled: from the last verification when one ran, else what the 201
    /// answers confirmed (the rest unconfirmed).
    public var reconciled: [String: ReconciliationCounts] = [:]
    public var verifiedAt: Date?
    /// Undo: not begun, in progress (batches done of planned), or done.
    public var undoBatches: (done: Int, planned: Int)?
    public var undone = false

    /// Why `path` cannot be a journal to read, in words (`no such file`, `is a directory`), or nil.
    public static func pathProblem(_ path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return "\(path): no such file"
        }
        if isDirectory.boolValue { return "\(path): is a directory, not a journal" }
        return nil
    }

    public var requestsPending: Int? {
        requestsPlanned.map { max($0 - requestsDone - requestsWithRejections, 0) }
    }

    /// Reads the journal at `path`. Inputs are compared by size and modification time, which is cheap;
    /// a resume compares their SHA-256 too.
    public static func read(path: String) throws -> JournalStatus {
        if pathProblem(path) != nil {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                throw JournalError.notAJournal(path: path, reason: "it is a directory")
            }
            throw JournalError.noSuchJournal(path: path)
        }
        guard let state = try Journal.replayForReconciling(path: path) else {
            throw JournalError.missingHeader(path: path)
        }
        let inputs = state.header.inputs.map { stored -> InputStatus in
            guard stored.path != "-" else { return InputStatus(path: "-", change: nil) }
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: stored.path) else {
                return InputStatus(path: stored.path, change: "missing")
            }
            let current = InputFingerprint(
                path: stored.path, size: (attributes[.size] as? NSNumber)?.int64Value,
                modificationTime: attributes[.modificationDate] as? Date, sha256: nil)
            let changes = stored.differences(from: current)
            return InputStatus(path: stored.path, change: changes.isEmpty ? nil : changes.joined(separator: ", "))
        }
        var resume: String?
        if let command = state.command, !command.isEmpty {
            let words = command.map(ShellQuoting.quote).joined(separator: " ")
            resume = state.commandDirectory.map { "cd \(ShellQuoting.quote($0)) && \(words)" } ?? words
        }
        var status = JournalStatus(
            path: path, queueID: state.header.queueID, endpointHost: state.header.endpointHost, runs: state.runs,
            finished: state.finished, requestsPlanned: state.plannedRequests, requestsDone: state.done.count,
            requestsWithRejections: state.rejected.count, requestsInFlightAtStop: state.unsettled.count,
            recordsPlanned: state.plannedRecords, recordsCreated: state.recordsCreated,
            idsRejected: state.rejectedIDCount, inputs: inputs, resumeCommand: resume)
        if let verification = state.verification {
            status.reconciled = verification.counts
            status.verifiedAt = verification.at
        } else {
            status.reconciled = Dictionary(
                uniqueKeysWithValues: DeliveredIDs(state: state).reconcile(inQueue: nil).perKind.map {
                    ($0.key.rawValue, $0.value)
                })
        }
        if let planned = state.undoPlanned { status.undoBatches = (state.deletedBatches.count, planned.batches) }
        status.undone = state.undone
        return status
    }

    public func renderText() -> String {
        var lines = ["\(path)"]
        lines.append("  queue \(queueID) at \(endpointHost), \(runs) run\(runs == 1 ? "" : "s")")
        var requests = "  requests: \(requestsDone) done"
        if requestsWithRejections > 0 { requests += ", \(requestsWithRejections) with rejected ids" }
        if let pending = requestsPending, let planned = requestsPlanned {
            requests += ", \(pending) pending, of \(planned) planned"
        }
        if requestsInFlightAtStop > 0 { requests += " (\(requestsInFlightAtStop) were in flight at the stop)" }
        lines.append(requests)
        var records = "  records: \(recordsCreated) created"
        if let planned = recordsPlanned { records += " of \(planned) planned" }
        if idsRejected > 0 { records += ", \(idsRejected) rejected by the server" }
        lines.append(records)
        if !reconciled.isEmpty {
            let total = reconciled.values.reduce(ReconciliationCounts(), +)
            var settled =
                verifiedAt != nil
                ? "  ids (verified \(verifiedAt!.formatted(.iso8601))): created by this import \(total.created), "
                    + "already in the queue \(total.alreadyPresent), not found \(total.notFound)"
                : "  ids: created by this import \(total.created) (confirmed by 201 answers)"
            if total.unconfirmed > 0 {
                settled +=
                    ", unconfirmed \(total.unconfirmed) (already in the queue or not found: "
                    + "aq-import verify \(ShellQuoting.quote(path)) tells)"
            }
            lines.append(settled)
        }
        if undone {
            lines.append("  state: UNDONE (the records it created were deleted); importing again starts a new import")
        } else if let undoBatches {
            lines.append(
                "  state: undo interrupted, \(undoBatches.done) of \(undoBatches.planned) batches deleted; "
                    + "run aq-import undo \(ShellQuoting.quote(path)) again")
        } else {
            lines.append(finished ? "  state: finished" : "  state: not finished (resumable)")
        }
        for input in inputs {
            lines.append(
                "  input \(input.path): \(input.change.map { "CHANGED (\($0)): a resume will refuse" } ?? "unchanged")")
        }
        if !finished, !undone, undoBatches == nil, let resumeCommand {
            lines.append("  resume with:\n    \(resumeCommand)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The journals in `directory` (default `./.aq-import`), oldest first.
    public static func journals(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".journal") }.map { (directory as NSString).appendingPathComponent($0) }
            .sorted { lhs, rhs in
                let l = (try? FileManager.default.attributesOfItem(atPath: lhs))?[.modificationDate] as? Date
                let r = (try? FileManager.default.attributesOfItem(atPath: rhs))?[.modificationDate] as? Date
                return (l ?? .distantPast, lhs) < (r ?? .distantPast, rhs)
            }
    }
}
