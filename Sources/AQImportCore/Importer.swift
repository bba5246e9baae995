import Foundation
import Logging

/// Wires the stages together: read and plan, then either write the plan (dry run) or open the journal,
/// skip what it says is done, deliver the rest and journal every step. Prints nothing: the executable
/// shows the summary and messages it returns.
public final class Importer: Sendable {
    /// How a run ended: what to print and the exit code.
    public struct Result: Sendable {
        public var summary: RunSummary
        public var exitCode: ImportExitCode
        /// Problems to show on stderr, already worded for the user.
        public var messages: [String]
    }

    public let configuration: ImportConfiguration
    public let delivery: DeliverySettings?
    private let transport: (any HTTPTransport)?
    private let logger: Logger
    private let events: @Sendable (DeliveryEvent) -> Void
    private let onPlanned: @Sendable (_ requests: Int, _ records: Int, _ doneBefore: Int, _ recordsBefore: Int) -> Void
    private let onNotice: @Sendable (String) -> Void
    private let sender = Locked<Sender?>(nil)
    private let stopRequested = Locked(false)
    private let delivering = Locked(false)

    /// Whether requests may be on their way: before that, an interrupt loses nothing and needs no grace.
    public var isDelivering: Bool { delivering.withLock { $0 } }

    public init(
        configuration: ImportConfiguration, delivery: DeliverySettings?, transport: (any HTTPTransport)?,
        logger: Logger = Logger(label: "aq-import"), events: @escaping @Sendable (DeliveryEvent) -> Void = { _ in },
        onPlanned: @escaping @Sendable (Int, Int, Int, Int) -> Void = { _, _, _, _ in },
        onNotice: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.delivery = delivery
        self.transport = transport
        self.logger = logger
        self.events = events
        self.onPlanned = onPlanned
        self.onNotice = onNotice
    }

    /// The first SIGINT or SIGTERM: stop dispatching, let requests in flight finish, journal, return.
    public func stop() {
        stopRequested.withLock { $0 = true }
        sender.withLock { $0 }?.stop()
    }

    public func run() async -> Result {
        let clock = ContinuousClock()
        let began = clock.now
        var summary = RunSummary(
            toolVersion: ToolVersion.current, queueID: configuration.queueID, dryRun: configuration.dryRun)
        func finish(_ code: ImportExitCode, _ messages: [String] = []) -> Result {
            summary.elapsedSeconds = Double((clock.now - began) / .microseconds(1)) / 1_000_000
            summary.exitCode = code.rawValue
            return Result(summary: summary, exitCode: code, messages: messages)
        }

        let built: PlanBuilder.Result
        do {
            built = try PlanBuilder(configuration: configuration, onNotice: onNotice).run()
        } catch {
            return finish(.nothingDone, [error.localizedDescription])
        }
        summary.inputs = built.inputs
        summary.kinds = built.kinds
        summary.plan = RunSummary.PlanSummary(built.plan)
        summary.selection = built.selection
        if let path = configuration.selectionOutPath {
            do throws(FileWriterError) {
                try SelectionOutput.write(built.picked, options: configuration.selection, to: path)
                summary.selectionPath = path
            } catch {
                return finish(.nothingDone, ["cannot write the selection to \(path): \(error.reason)"])
            }
        }
        let plan = built.plan
        guard !plan.requests.isEmpty else {
            return finish(.nothingDone, [ImportError.noValidRecord.localizedDescription])
        }
        let rowsRejected = built.rejectsWritten > 0

        if configuration.dryRun {
            if let path = configuration.planOutPath {
                do throws(FileWriterError) {
                    try PlanWriter(queueID: configuration.queueID).write(plan, toFile: path)
                    summary.planPath = path
                } catch {
                    return finish(.nothingDone, ["cannot write the plan to \(path): \(error.reason)"])
                }
            }
            // Given with --check-remote only: the preflight's reads are part of that check.
            if let delivery, let transport,
                let stop = await PreflightStep.run(
                    plan, delivery: delivery, transport: transport, logger: logger, summary: &summary,
                    onNotice: onNotice)
            {
                return finish(stop.code, stop.messages)
            }
            return finish(rowsRejected ? .someRejected : .success)
        }

        guard let delivery, let transport else {
            return finish(.nothingDone, ["no endpoint or API key to deliver with"])
        }
        summary.endpoint = delivery.endpoint.baseURL
        summary.endpointSource = delivery.endpointSource
        summary.keySource = delivery.keySource

        if let stop = await PreflightStep.run(
            plan, delivery: delivery, transport: transport, logger: logger, summary: &summary, onNotice: onNotice)
        {
            return finish(stop.code, stop.messages)
        }

        // The journal: its header pins the inputs (fingerprinted while read) and the plan-shaping options.
        let journalPath =
            delivery.journalPath.map(configuration.resolve)
            ?? Journal.defaultPath(
                queueID: configuration.queueID, inputs: configuration.inputs,
                directory: (configuration.workingDirectory as NSString).appendingPathComponent(".aq-import"),
                workingDirectory: configuration.workingDirectory)
        summary.journalPath = journalPath
        if let report = built.selection {
            // For `status`: how the sample was drawn, beside the journal.
            try? FileManager.default.createDirectory(
                atPath: (journalPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            try? report.write(to: SelectionReport.path(journal: journalPath))
        }
        let header = JournalHeader(
            toolVersion: ToolVersion.current, queueID: configuration.queueID,
            endpointHost: delivery.endpoint.host + (delivery.endpoint.port.map { ":\($0)" } ?? ""),
            planOptions: configuration.planShapingOptions,
            inputs: fingerprints(built.fileStats))
        var journal: Journal
        var state: JournalState
        if let input = Self.inputNamed(by: journalPath, inputs: configuration.inputs.map(configuration.resolve)) {
            return finish(.nothingDone, [JournalError.isAnInput(path: input).localizedDescription])
        }
        do {
            try FileManager.default.createDirectory(
                atPath: (journalPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            if delivery.restart {
                (journal, state, _) = try await Journal.restart(
                    path: journalPath, header: header, fsync: delivery.journalFsync, forReconcilingWith: plan)
            } else {
                (journal, state) = try await Journal.open(
                    path: journalPath, header: header, fsync: delivery.journalFsync, forReconcilingWith: plan)
            }
            if state.undone {
                // The import was undone: the same inputs again make a new import.
                try await journal.close()
                let archived: String?
                (journal, state, archived) = try await Journal.restart(
                    path: journalPath, header: header, fsync: delivery.journalFsync, forReconcilingWith: plan)
                onNotice(
                    "the import in this journal was undone; starting a new one (the old journal is \(archived ?? "gone"))"
                )
            }
        } catch {
            return finish(.nothingDone, [error.localizedDescription])
        }
        // What earlier runs landed is read again, with this run's, after delivery: not held through it.
        state.landings = [:]

        let reader = RemoteReader(
            transport: transport, endpoint: delivery.endpoint, credential: delivery.credential,
            keySource: delivery.keySource, configuration: delivery.sender, logger: logger)
        let verifier = Verifier(listing: QueueListing(reader: reader, queueID: configuration.queueID))
        if delivery.verify != .never && state.baseline == nil && !state.anySent {
            // What the queue holds before the first request: ids found there afterwards that no 201
            // confirmed are then known to be this import's (answers lost) or not.
            do {
                let (matches, records) = try await verifier.baseline(of: plan)
                try await journal.recordBaseline(matches, queuedRecords: records)
            } catch {
                try? await journal.close()
                // Said as a delivery would say it: the same causes, the same advice.
                let reason: DeliveryAbortReason? =
                    switch error as? RemoteError {
                    case .http(404, _, let detail)?:
                        .queueNotFound(
                            queueID: configuration.queueID, endpoint: delivery.endpoint.baseURL,
                            credentialSource: delivery.credential.source, detail: detail)
                    case .unauthorized(let status, _, let detail)?:
                        .unauthorized(status: status, credentialSource: delivery.credential.source, detail: detail)
                    default: nil
                    }
                return finish(
                    .abortedResumable,
                    [
                        reason.map { "aborted: \($0)" }
                            ?? "cannot list the queue before sending: \(error.localizedDescription)"
                    ])
            }
        }

        do {
            try await journal.recordPlan(
                requests: plan.requests.count, records: plan.recordCount, command: configuration.commandLine,
                directory: configuration.workingDirectory)
        } catch {
            try? await journal.close()
            return finish(.nothingDone, ["the journal could not be written: \(error.localizedDescription)"])
        }
        let pending = plan.requests.filter { !state.isSettled($0.id) }
        let doneBefore = plan.requests.count - pending.count
        let recordsBefore = plan.requests.filter { state.isSettled($0.id) }.reduce(0) { $0 + $1.recordCount }
        onNotice("journal: \(journalPath)")
        if doneBefore > 0 {
            onNotice("resuming: \(doneBefore) of \(plan.requests.count) requests were done by an earlier run")
        }
        onPlanned(plan.requests.count, plan.recordCount, doneBefore, recordsBefore)

        // With --verify always the queue is listed in any case: read it as it fills, during delivery.
        let follower =
            delivery.verify == .always && !pending.isEmpty
            ? QueueTailFollower(listing: verifier.listing, expectedRecords: plan.recordCount) : nil
        let following = follower.map { follower in Task { await follower.follow() } }
        let events = self.events
        let sender = Sender(
            queueID: configuration.queueID, endpoint: delivery.endpoint, credential: delivery.credential,
            transport: transport, recorder: journal, configuration: delivery.sender, logger: logger,
            events: { event in
                if let follower {
                    switch event {
                    case .delivered(_, _, _, let created), .rejected(_, _, let created):
                        Task { await follower.added(created) }
                    default: break
                    }
                }
                events(event)
            })
        self.sender.withLock { $0 = sender }
        delivering.withLock { $0 = true }
        if stopRequested.withLock({ $0 }) { sender.stop() }
        let outcome = await sender.deliver(pending)
        var followed: QueueRecordList?
        if let follower, let following {
            if case .completed = outcome.status {
                await follower.deliveryHasEnded()
            } else {
                await follower.abandon()
            }
            followed = await following.value
        }
        var messages: [String] = []
        var reconciliation: Reconciliation?
        if case .completed = outcome.status {
            do {
                guard let delivered = try Journal.replayForReconciling(path: journalPath, plan: plan) else {
                    throw JournalError.missingHeader(path: journalPath)
                }
                let result = try await verifier.reconcile(delivered, mode: delivery.verify, followed: followed)
                if let follower {
                    let pages = await follower.pages
                    logger.info(
                        result.followed
                            ? "the queue was read while it filled: every delivered id seen, no listing after delivery"
                            : "reading the queue while it filled did not show every delivered id: listed it whole",
                        metadata: ["records": "\(followed?.count ?? 0)", "pages": "\(pages)"])
                }
                if !result.newlyFound.isEmpty { try await journal.recordFound(result.newlyFound) }
                // Only a listing verifies; without one, status reads what the 201s confirmed from the journal.
                if result.listed { try await journal.recordVerification(result.perKind) }
                reconciliation = result
            } catch {
                messages.append("cannot verify what the queue holds: \(error.localizedDescription)")
            }
        }
        do {
            if case .completed = outcome.status { try await journal.finish() }
            try await journal.close()
        } catch {
            messages.append("the journal could not be closed cleanly: \(error.localizedDescription)")
        }

        // Ids the server refused, now and in earlier runs, go to the rejects files too.
        let earlierRejections = plan.requests.compactMap { state.rejected[$0.id] }.flatMap(\.rejections)
        let serverRejections = outcome.counters.rejections
        // Reading rewrote the rejects files: the rows of every id refused so far, in this run or an
        // earlier one, go back in.
        let notFound = (reconciliation?.missing ?? []).map { missing in
            ServerRejection(kind: missing.kind, id: missing.id.text, status: 200, detail: missing.reason)
        }
        let allRejections = earlierRejections + serverRejections + notFound
        if !allRejections.isEmpty {
            do {
                summary.serverRejectsPath = try writeServerRejections(allRejections)
                let rowsWritten = try writeRefusedRows(allRejections, summary: &summary)
                if rowsWritten > 0 { logger.info("rows of ids the server refused added to the rejects files") }
            } catch {
                // A writer's error already says "cannot write PATH".
                messages.append(
                    (error as? FileWriterError)?.description ?? "cannot write the server's rejections: \(error)")
            }
        }

        let counters = outcome.counters
        let settledNow = counters.requestsDelivered + counters.requestsWithRejections
        let status: String
        var code: ImportExitCode
        switch outcome.status {
        case .completed:
            status = "completed"
            code =
                rowsRejected || !serverRejections.isEmpty || !earlierRejections.isEmpty || !notFound.isEmpty
                ? .someRejected : .success
            if let reconciliation {
                summary.verification = .init(reconciliation, mode: delivery.verify)
                if let perInput = try? reconciliation.countsPerInput(configuration) {
                    for (index, counts) in perInput.enumerated() where index < summary.inputs.count {
                        summary.inputs[index].verification = counts
                    }
                }
            }
            if reconciliation == nil { code = .abortedResumable }
        case .aborted(let reason, _):
            status = "aborted: \(reason)"
            messages.append("aborted: \(reason)")
            code = .abortedResumable
        case .interrupted:
            status = "interrupted"
            code = .interrupted
        }
        summary.delivery = RunSummary.DeliverySummary(
            requestsTotal: plan.requests.count, requestsDone: doneBefore + settledNow, requestsDoneBefore: doneBefore,
            requestsPending: pending.count - settledNow, recordsCreated: counters.recordsCreated,
            recordsAlreadyPresent: counters.recordsAlreadyPresent, retries: counters.retries,
            rateLimited: counters.throttled, serverErrors: counters.serverErrors,
            rejectedRecords: serverRejections.count + earlierRejections.count, outcome: status)
        return finish(code, messages)
    }

    /// The input that `journalPath` is (links resolved), if any.
    static func inputNamed(by journalPath: String, inputs: [String]) -> String? {
        guard let journal = realpath(journalPath, nil) else { return nil }
        defer { free(journal) }
        for input in inputs where !input.hasSuffix("/-") {
            guard let resolved = realpath(input, nil) else { continue }
            defer { free(resolved) }
            if strcmp(journal, resolved) == 0 { return input }
        }
        return nil
    }

    private func fingerprints(_ stats: [FileReadStats]) -> [InputFingerprint] {
        zip(configuration.inputs, stats).map { path, stats in
            if path == "-" {
                return InputFingerprint(
                    path: path, size: Int64(stats.bytes), modificationTime: nil, sha256: stats.sha256Hex)
            }
            let absolute = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: configuration.workingDirectory))
                .standardizedFileURL.path
            let modified = (try? FileManager.default.attributesOfItem(atPath: absolute))?[.modificationDate] as? Date
            return InputFingerprint(
                path: absolute, size: Int64(stats.bytes), modificationTime: modified, sha256: stats.sha256Hex)
        }
    }

    /// Reads the inputs again (standard input cannot be) and adds the rows of the ids the server
    /// refused to each input's rejects file, in the input's own format with the server's answer, so
    /// that they can be fixed and fed back like any other reject.
    private func writeRefusedRows(_ rejections: [ServerRejection], summary: inout RunSummary) throws -> Int {
        var options = configuration.readOptions
        options.refusedByServer = ServerRefusals(rejections)
        options.computeSHA256 = false
        let builder = PlanBuilder(configuration: configuration)
        var written = 0
        for (index, path) in configuration.inputs.enumerated() where path != "-" {
            var reader = try ExportReader(path: path, fileIndex: index, options: options)
            let target =
                summary.inputs[index].rejectsPath ?? builder.rejectsPath(forInput: index, format: reader.format)
            let sink = RejectSink(append: true) { _ in target }
            var count = 0
            _ = try reader.read { event in
                if case .rejected(let rejection) = event, case .server = rejection.reason {
                    try sink.write(rejection, fileIndex: index)
                    count += 1
                }
            }
            _ = try sink.close()
            if count > 0 {
                summary.inputs[index].rejectsPath = target
                summary.inputs[index].rejected += count
                summary.inputs[index].rejectedByReason[RejectReason.server(status: 0, detail: "").code, default: 0] +=
                    count
                summary.kinds[reader.kind.rawValue]?.rejected += count
            }
            written += count
        }
        return written
    }

    /// Every id the server refused in this import, as NDJSON records (kind, id, the server's answer)
    /// beside the other rejects; rewritten whole each run.
    private func writeServerRejections(_ rejections: [ServerRejection]) throws -> String {
        let directory =
            configuration.rejectsPath.map { path -> String in
                var isDirectory: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                return exists && isDirectory.boolValue ? path : (path as NSString).deletingLastPathComponent
            } ?? configuration.workingDirectory
        let path = ((directory.isEmpty ? "." : directory) as NSString).appendingPathComponent("server.rejects.ndjson")
        let writer = try FileWriter(path: path)
        for rejection in rejections {
            var line: [UInt8] = Array("{\"kind\":".utf8)
            RequestBody.appendJSONString(rejection.kind.rawValue, to: &line)
            line.append(contentsOf: ",\"id\":".utf8)
            RequestBody.appendJSONString(rejection.id, to: &line)
            line.append(contentsOf: ",\"aq_error\":".utf8)
            RequestBody.appendJSONString("server answered \(rejection.status): \(rejection.detail)", to: &line)
            line.append(contentsOf: "}\n".utf8)
            try writer.write(line)
        }
        try writer.close()
        return path
    }
}

extension ImportConfiguration {
    /// `path` against the working directory, unless it is absolute.
    public func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : (workingDirectory as NSString).appendingPathComponent(path)
    }

    /// The options that change the plan, as the journal pins them: a resume with other values would
    /// plan other requests.
    public var planShapingOptions: [String: String] {
        var options: [String: String] = [:]
        let read = readOptions
        options["kind"] = read.kind?.rawValue
        options["format"] = read.format?.rawValue
        options["id-column"] = read.idColumn
        options["time-column"] = read.timeColumn
        options["project-id"] = read.projectID
        options["dataset-id"] = read.datasetID
        options["dataset-version-id"] = read.datasetVersionID
        options["start"] = read.fixedWindow?.start.rfc3339
        options["end"] = read.fixedWindow?.end.rfc3339
        options.merge(selection.pinned) { kept, _ in kept }
        return options
    }
}
