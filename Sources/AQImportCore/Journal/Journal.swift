import Foundation

/// The append-only journal of one import: a header line, then one checksummed JSON line per
/// transition of a planned request (`sent`, `done`, `rejected`).
///
/// Every call returns once its line is on disk (written and, unless `fsync` is off, fsynced). Lines are
/// written in groups: while one group is being written and fsynced, the lines of other callers
/// collect in a buffer and go out together in the next write, so 16 concurrent senders share one
/// fsync instead of queueing for 16.
public actor Journal: DeliveryRecorder {
    public nonisolated let path: String
    private let file: JournalFile
    private let fsyncEnabled: Bool
    private let codec = JournalLineCodec()
    /// The inputs as the journal knows them (pending ones are completed by `recordInput`).
    private var inputs: [InputFingerprint]

    private var buffer: [UInt8] = []
    private var appended: UInt64 = 0
    private var durable: UInt64 = 0
    private var flushing = false
    private var waiters: [(sequence: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var failure: (any Error)?
    private var isClosed = false
    private var stats = JournalStatistics()

    private init(path: String, file: JournalFile, fsync: Bool, inputs: [InputFingerprint]) {
        self.path = path
        self.file = file
        self.fsyncEnabled = fsync
        self.inputs = inputs
    }

    /// Opens the journal at `path` for a run described by `header`.
    ///
    /// - A missing or empty file (or one holding only a torn header) is created with `header`.
    /// - An existing journal is replayed; if its header differs from `header` (queue, endpoint host,
    ///   plan options, inputs) this throws `JournalMismatch` naming each difference. Otherwise a torn
    ///   last line is cut off, a `resumed` line is appended, and the replayed state is returned so the
    ///   caller can skip settled requests.
    ///
    /// Throws `JournalError` for a damaged journal or one in use by another process.
    ///
    /// `forReconcilingWith`: the import's plan; the state is then read as for reconciling (no record
    /// ids, the plan's ids shared: see `replayForReconciling`), which is all a resumed import needs.
    public static func open(
        path: String, header: JournalHeader, fsync: Bool = true, forReconcilingWith plan: Plan? = nil
    ) async throws -> (Journal, JournalState) {
        let file = try JournalFile.open(path: path)
        do {
            if let state = try file.replay(forReconciling: plan.map { sharedSources(of: $0) }) {
                let stored = state.header
                guard stored.formatVersion <= JournalHeader.currentFormatVersion else {
                    throw JournalError.unsupportedFormat(path: path, version: stored.formatVersion)
                }
                let differences = stored.differences(from: header)
                guard differences.isEmpty else { throw JournalMismatch(path: path, differences: differences) }
                if state.ignoredTailBytes > 0 { try file.truncate(to: state.validLength) }
                let journal = Journal(path: path, file: file, fsync: fsync, inputs: stored.inputs)
                try await journal.append(.resumed(at: Date(), toolVersion: header.toolVersion))
                return (journal, state)
            }
            try file.truncate(to: 0)
            let journal = Journal(path: path, file: file, fsync: fsync, inputs: header.inputs)
            try await journal.append(.header(header))
            file.syncDirectory()
            return (journal, JournalState(header: header))
        } catch {
            file.close()
            throw error
        }
    }

    /// Opens an existing journal as it is (for `verify` and `undo`, which run from the journal alone):
    /// no header is compared and no `resumed` line written. A torn last line is cut off.
    /// `forReconciling`: the state keeps no record ids (see `replayForReconciling`); `verify` needs none.
    public static func openExisting(path: String, fsync: Bool = true, forReconciling: Bool = false) async throws
        -> (Journal, JournalState)
    {
        let file = try JournalFile.open(path: path)
        do {
            guard let state = try file.replay(forReconciling: forReconciling ? [:] : nil) else {
                throw JournalError.missingHeader(path: path)
            }
            guard state.header.formatVersion <= JournalHeader.currentFormatVersion else {
                throw JournalError.unsupportedFormat(path: path, version: state.header.formatVersion)
            }
            if state.ignoredTailBytes > 0 { try file.truncate(to: state.validLength) }
            return (Journal(path: path, file: file, fsync: fsync, inputs: state.header.inputs), state)
        } catch {
            file.close()
            throw error
        }
    }

    /// `--restart`: keeps the journal at `path` (if any) under a new name (see `archive(path:now:)`) and
    /// opens a new one there.
    public static func restart(
        path: String, header: JournalHeader, fsync: Bool = true, forReconcilingWith plan: Plan? = nil,
        now: Date = Date()
    ) async throws -> (journal: Journal, state: JournalState, archivedPath: String?) {
        let archived = try archive(path: path, now: now)
        let (journal, state) = try await open(path: path, header: header, fsync: fsync, forReconcilingWith: plan)
        return (journal, state, archived)
    }

    /// Renames the journal at `path` to `<path>.old-<UTC time>` (with `-2`, `-3`… if taken) and returns
    /// the new name, or `nil` if there was no journal. Refuses a journal in use by another process.
    public static func archive(path: String, now: Date = Date()) throws -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let file = try JournalFile.open(path: path)
        defer { file.close() }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let base = "\(path).old-\(formatter.string(from: now))"
        var target = base
        var counter = 2
        while FileManager.default.fileExists(atPath: target) {
            target = "\(base)-\(counter)"
            counter += 1
        }
        guard rename(path, target) == 0 else {
            throw JournalError.io(path: path, operation: "rename to \(target)", errno: errno)
        }
        file.syncDirectory()
        return target
    }

    // MARK: DeliveryRecorder

    public func sending(_ request: RequestID) async throws {
        try await append(.sent(request))
    }

    public func delivered(_ request: RequestID, status: Int, created: Int) async throws {
        try await append(.done(request, status: status, created: created))
    }

    public func rejected(_ request: RequestID, rejections: [ServerRejection], created: Int) async throws {
        try await append(.rejected(request, rejections: rejections, created: created))
    }

    public func landed(_ request: PlannedRequest, created: [QueueRecord]) async throws {
        try await append(.landed(request.id, JournalLanding(request: request, created: created)))
    }

    // MARK: Reconciliation and undo

    /// The planned ids the queue held before the first request, in lines of at most 500.
    public func recordBaseline(_ matches: [JournalMatches.Match], queuedRecords: Int) async throws {
        var start = 0
        repeat {
            let end = min(start + 500, matches.count)
            try await append(
                .baseline(JournalMatches(matches: Array(matches[start..<end])), records: start == 0 ? queuedRecords : 0)
            )
            start = end
        } while start < matches.count
    }

    /// Ids found in the queue that no 201 confirmed and the baseline did not hold.
    public func recordFound(_ matches: [JournalMatches.Match]) async throws {
        var start = 0
        while start < matches.count {
            let end = min(start + 500, matches.count)
            try await append(.found(JournalMatches(matches: Array(matches[start..<end]))))
            start = end
        }
    }

    public func recordVerification(_ counts: [RecordKind: ReconciliationCounts], at date: Date = Date()) async throws {
        try await append(
            .verified(at: date, counts: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) })))
    }

    public func recordUndoPlanned(batches: Int, records: Int) async throws {
        try await append(.undoPlanned(batches: batches, records: records))
    }

    public func recordDeleted(_ batch: RequestID) async throws {
        try await append(.deleted(batch))
    }

    public func recordUndone(at date: Date = Date()) async throws {
        try await append(.undone(at: date))
    }

    // MARK: Other lines

    /// Records the fingerprint of an input that was pending when the journal was opened (standard
    /// input, fingerprinted while read). If the journal already knows that input's fingerprint (a
    /// resumed run), the two are compared instead and a difference throws `JournalMismatch`.
    public func recordInput(_ fingerprint: InputFingerprint) async throws {
        if let index = inputs.firstIndex(where: { $0.path == fingerprint.path }), inputs[index].isComplete {
            let changes = inputs[index].differences(from: fingerprint)
            guard changes.isEmpty else {
                throw JournalMismatch(
                    path: path,
                    differences: ["input \(fingerprint.path) changed: " + changes.joined(separator: ", ")])
            }
            return
        }
        if let index = inputs.firstIndex(where: { $0.path == fingerprint.path }) {
            inputs[index] = fingerprint
        } else {
            inputs.append(fingerprint)
        }
        try await append(.input(fingerprint))
    }

    /// Records the size of this run's plan and the command that started it, for `aq-import status`.
    public func recordPlan(requests: Int, records: Int, command: [String], directory: String) async throws {
        try await append(.planned(requests: requests, records: records, command: command, directory: directory))
    }

    /// Records that the run got through its whole plan.
    public func finish() async throws {
        try await append(.finished(at: Date()))
    }

    /// Waits for every buffered line to be on disk, then closes the file. Later calls throw.
    public func close() async throws {
        guard !isClosed else { return }
        isClosed = true
        defer { file.close() }
        if appended > durable { try await waitUntilDurable(appended) }
        if let failure { throw failure }
    }

    public var statistics: JournalStatistics { stats }

    nonisolated func suspendWritesForTesting() { file.suspendWrites() }
    nonisolated func resumeWritesForTesting() { file.resumeWrites() }
    nonisolated func breakFileForTesting() { file.close() }

    // MARK: Group commit

    private func append(_ entry: JournalEntry) async throws {
        if let failure { throw failure }
        guard !isClosed else { throw JournalError.closed(path: path) }
        let line = try codec.encode(entry)
        buffer.append(contentsOf: line)
        appended += 1
        stats.lines += 1
        try await waitUntilDurable(appended)
    }

    private func waitUntilDurable(_ sequence: UInt64) async throws {
        try await withCheckedThrowingContinuation { continuation in
            waiters.append((sequence, continuation))
            if !flushing {
                flushing = true
                Task { await self.flushLoop() }
            }
        }
    }

    private func flushLoop() async {
        while !buffer.isEmpty, failure == nil {
            let bytes = buffer
            let target = appended
            buffer.removeAll(keepingCapacity: true)
            do {
                try await file.append(bytes, sync: fsyncEnabled)
                stats.writes += 1
                stats.bytes += bytes.count
                if fsyncEnabled { stats.fsyncs += 1 }
                durable = target
                resumeWaiters(upTo: target, with: .success(()))
            } catch {
                // A partial write may have left a torn line: appending more would bury it mid-file.
                failure = error
            }
        }
        flushing = false
        if let failure { resumeWaiters(upTo: .max, with: .failure(failure)) }
    }

    private func resumeWaiters(upTo target: UInt64, with result: Result<Void, any Error>) {
        let count = waiters.prefix { $0.sequence <= target }.count
        for waiter in waiters.prefix(count) { waiter.continuation.resume(with: result) }
        waiters.removeFirst(count)
    }
}
