import AQImportCore
import AQImportHTTP
import ArgumentParser
import Foundation
import Logging

/// `aq-import FILE... --queue ...`: reads, plans and (without --dry-run) delivers.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read exports, plan API-valid requests and deliver them (the default command).",
        discussion: """
            EXAMPLES
              Load a span export (CSV) into a queue named in a space:
                aq-import spans.csv --queue "Needs review" --space Production \\
                  --project-id TW9kZWw6MTAxOnByb2RDaGF0

              Preview the requests for a dataset's examples (NDJSON), sending nothing:
                aq-import examples.ndjson --queue QW5ub3RhdGlvblF1ZXVlOjE6ZGVtbw== \\
                  --dataset-id RGF0YXNldDo0MjpxYQ== --dry-run --plan-out plan.ndjson

              Resume after Ctrl-C, a crash or exit 3: the same command again, from
              the same directory (aq-import status shows it):
                aq-import spans.csv --queue "Needs review" --space Production \\
                  --project-id TW9kZWw6MTAxOnByb2RDaGF0
                aq-import status

            EXIT CODES
              0    everything planned (dry run) or delivered
              1    finished, some records rejected (see the rejects file)
              2    nothing done: usage error, unreadable input, no valid record
              3    aborted during delivery; run the same command again to resume
              130  interrupted; run the same command again to resume
            """
    )

    @Argument(
        help: ArgumentHelp(
            "Export files (.csv, .ndjson, .jsonl, .json (a JSON array, as ax writes), optionally .gz); - for stdin.",
            valueName: "file"))
    var inputs: [String]

    @Option(help: "The annotation queue: its id, or its name with --space.")
    var queue: String

    @Option(help: "The space of a queue given by name: its id or name.")
    var space: String?

    @Flag(help: "With --dry-run: check with reads only that the key works, the queue exists and sampled ids are found.")
    var checkRemote = false

    @Flag(help: "Skip the preflight: the look-up of up to 20 ids per project or dataset before the first request.")
    var noPreflight = false

    @Option(help: "Record kind; inferred from the columns when omitted.")
    var kind: RecordKind?

    @Option(
        help: ArgumentHelp(
            "Input format: csv, ndjson, json (a JSON array) or parquet; taken from the extension (or the PAR1 "
                + "magic) when omitted (required for stdin).")
    )
    var format: InputFormat?

    @Option(help: "The column that holds the ids (overrides detection).")
    var idColumn: String?

    @Option(help: "The column that holds the timestamps (overrides detection).")
    var timeColumn: String?

    @Option(help: "Project of span, trace and session rows without a project_id column.")
    var projectId: String?

    @Option(help: "Dataset of example rows without a dataset_id column.")
    var datasetId: String?

    @Option(help: "Dataset version of example rows (latest when omitted).")
    var datasetVersionId: String?

    @Option(help: "Window start for files without timestamps (with --end, at most 7 days apart).")
    var start: String?

    @Option(help: "Window end for files without timestamps.")
    var end: String?

    @Flag(help: "Read, validate and plan everything; send nothing, need no API key.")
    var dryRun = false

    @Option(
        help: "With --dry-run: write each request exactly as it would be sent, one JSON object a line (- for stdout).")
    var planOut: String?

    @Option(help: "Where rejected rows go: a file (one input) or a directory. Default: <input>.rejects.<format> here.")
    var rejects: String?

    @Option(
        parsing: .unconditional, help: "Stop when rejected rows pass N, or P% of the rows read (e.g. 100 or 2%).",
        transform: RejectLimit.parseArgument)
    var maxRejects: RejectLimit?

    @Option(
        help: """
            After delivery, list the queue to settle every id as created, already there or not found: auto (when \
            some id was not confirmed by a 201), always, never.
            """)
    var verify: VerifyMode = .auto

    @Option(help: "Write the summary as JSON to this file (- for stdout; the text summary then goes to stderr).")
    var summaryJson: String?

    func validate() throws {
        if inputs.contains("-") && format == nil {
            throw ValidationError("reading stdin (-) needs --format csv|ndjson|json|parquet")
        }
        if (start == nil) != (end == nil) {
            throw ValidationError("--start and --end go together")
        }
        if inputs.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("standard input (-) is given twice: it can be read only once")
        }
        for (flag, value) in [
            ("--project-id", projectId), ("--dataset-id", datasetId), ("--dataset-version-id", datasetVersionId),
        ] {
            if let value, let problem = Scope.problem(withFlagValue: value) {
                throw ValidationError("\(flag) \(value.debugDescription) \(problem)")
            }
        }
        if planOut != nil && !dryRun {
            throw ValidationError("--plan-out goes with --dry-run")
        }
        if checkRemote && !dryRun {
            throw ValidationError("--check-remote goes with --dry-run (a real import checks the queue anyway)")
        }
        if inputs.contains("-") && !dryRun && delivery.journal == nil {
            throw ValidationError("importing stdin (-) needs --journal FILE: stdin cannot be recognised on a resume")
        }
        try OutputOptions.checkOutputs(
            files: [
                ("--plan-out", planOut), ("--summary-json", summaryJson), ("--selection-out", selection.selectionOut),
            ], directories: [("--rejects", rejects)])
        _ = try fixedWindow()
    }

    func fixedWindow() throws -> TimeWindow? {
        guard let start, let end else { return nil }
        func parse(_ text: String, _ flag: String) throws -> Timestamp {
            switch TimestampParser.parse(text) {
            case .valid(let t):
                return t
            case .outOfRange:
                throw ValidationError(
                    "\(flag) \(text.debugDescription) is out of range: times go from "
                        + "\(Timestamp.earliestAccepted.rfc3339) to \(Timestamp.latestAccepted.rfc3339)")
            case .unreadable:
                throw ValidationError("\(flag) \(text.debugDescription) is not a time (e.g. 2026-01-15T00:00:00Z)")
            }
        }
        let window = TimeWindow(start: try parse(start, "--start"), end: try parse(end, "--end"))
        guard window.start < window.end else { throw ValidationError("--start must be before --end") }
        let seconds = (window.end.nanosecondsSinceEpoch - window.start.nanosecondsSinceEpoch) / 1_000_000_000
        guard seconds <= APILimits.maxWindowSeconds else {
            throw ValidationError("--start and --end are \(seconds / 3600) hours apart; the API allows at most 7 days")
        }
        return window
    }

    @OptionGroup(title: "Selection") var selection: SelectionFlags

    @OptionGroup var delivery: DeliveryOptions

    @OptionGroup var output: OutputOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let logger = try output.bootstrapLogging(environment: environment)
        let needsRemote =
            !dryRun || checkRemote || !ResourceIdentifier.isID(queue) || !selection.excludeQueue.isEmpty
        var exclusions = ExclusionSet()

        var connection: ConnectionSettings?
        var transport: AsyncHTTPClientTransport?
        var queueID = queue
        if needsRemote {
            do {
                let settings = try ConnectionSettings.resolve(
                    endpointFlag: delivery.endpoint, apiKeyFile: delivery.apiKeyFile, profileName: delivery.profile,
                    environment: environment, home: environment["HOME"] ?? NSHomeDirectory())
                connection = settings
                transport = try AsyncHTTPClientTransport(
                    configuration: .init(
                        requestTimeout: .milliseconds(Int(delivery.timeout * 1000)), concurrency: delivery.concurrency,
                        caCertificateFile: settings.caCertificateFile, verifyCertificates: settings.requestVerify,
                        proxy: settings.proxy),
                    logger: logger)
                if !settings.requestVerify {
                    FileHandleOutput.standardError(
                        "aq-import: warning: TLS certificate checks are off (request_verify)")
                }
                // Lookups carry the key as deliveries do: the same refusal of plain http elsewhere.
                try settings.endpoint.requireSecureTransport(allowInsecureHTTP: delivery.allowInsecureHTTP)
                var resolver = QueueResolver(
                    transport: transport!, endpoint: settings.endpoint, credential: settings.credential,
                    keySource: settings.keySource)
                if !output.quiet { resolver.notice = { FileHandleOutput.standardError("aq-import: \($0)") } }
                queueID = try await resolver.resolve(queue: queue, space: space).id
                if !selection.excludeQueue.isEmpty {
                    // A resume reads what the queues held when the import began, not what they hold now.
                    let journal =
                        delivery.journal
                        ?? Journal.defaultPath(
                            queueID: queueID, inputs: inputs,
                            directory: (FileManager.default.currentDirectoryPath as NSString)
                                .appendingPathComponent(".aq-import"),
                            workingDirectory: FileManager.default.currentDirectoryPath)
                    let reader = RemoteReader(
                        transport: transport!, endpoint: settings.endpoint, credential: settings.credential,
                        keySource: settings.keySource, configuration: delivery.senderConfiguration, logger: logger)
                    let loaded = try await ExclusionLoader.load(
                        queues: selection.excludeQueue, space: space, resolver: resolver, reader: reader,
                        snapshot: dryRun ? nil : ExclusionLoader.snapshotPath(journal: journal),
                        reuseSnapshot: !dryRun && !delivery.restart && FileManager.default.fileExists(atPath: journal))
                    exclusions = loaded.set
                    if loaded.fromSnapshot && !output.quiet {
                        FileHandleOutput.standardError(
                            "aq-import: --exclude-queue: resuming with what the queues held when this import began "
                                + "(\(exclusions.count) units, \(ExclusionLoader.snapshotPath(journal: journal)))")
                    }
                }
                if checkRemote {
                    let found = try await resolver.checkRemote(queueID: queueID)
                    FileHandleOutput.standardError(
                        "aq-import: the key from \(settings.keySource) works and queue \(found.name.debugDescription) "
                            + "(\(found.id)) exists at \(settings.endpoint.baseURL)")
                }
            } catch {
                try? await transport?.shutdown()
                if dryRun && !checkRemote, case ConfigurationError.noAPIKey = error {
                    FileHandleOutput.standardError(
                        "aq-import: a queue name is resolved through the API, which needs a key: "
                            + "give the queue's id for an offline dry run")
                }
                FileHandleOutput.standardError("aq-import: \(error.localizedDescription)")
                throw ExitCode(ImportExitCode.nothingDone.rawValue)
            }
        }

        let readOptions = ReadOptions(
            kind: kind, format: format, idColumn: idColumn, timeColumn: timeColumn, projectID: projectId,
            datasetID: datasetId, datasetVersionID: datasetVersionId, fixedWindow: try fixedWindow(),
            computeSHA256: !dryRun)
        var configuration = ImportConfiguration(
            inputs: inputs, queueID: queueID, readOptions: readOptions, dryRun: dryRun, planOutPath: planOut,
            rejectsPath: rejects, maxRejects: maxRejects,
            workingDirectory: FileManager.default.currentDirectoryPath)
        configuration.commandLine = CommandLine.arguments
        configuration.selection = selection.options
        configuration.exclusions = exclusions
        configuration.selectionOutPath = selection.selectionOut
        // A dry run needs them only for --check-remote's preflight.
        var settings =
            dryRun && !checkRemote
            ? nil
            : connection.map { connection in
                DeliverySettings(
                    endpoint: connection.endpoint, endpointSource: connection.endpointSource,
                    credential: connection.credential, keySource: connection.keySource,
                    sender: delivery.senderConfiguration, journalPath: delivery.journal, restart: delivery.restart,
                    journalFsync: !delivery.noJournalFsync)
            }

        settings?.verify = verify
        settings?.preflight = !noPreflight
        let progress = output.makeProgressReporter(environment: environment, silent: dryRun)
        let importer = Importer(
            configuration: configuration, delivery: settings, transport: transport, logger: logger,
            events: { progress.handle($0) },
            onPlanned: { requests, records, doneBefore, recordsBefore in
                progress.start(
                    recordsTotal: records, requestsTotal: requests, recordsDoneBefore: recordsBefore,
                    requestsDoneBefore: doneBefore)
            },
            onNotice: { message in
                if !output.quiet {
                    progress.clear()
                    FileHandleOutput.standardError("aq-import: \(message)")
                }
            })
        let signals = SignalHandler { second in
            progress.clear()
            if !importer.isDelivering {
                // Reading and planning send nothing and leave no journal line half done: stop now,
                // keeping the rejects of the rows read and no temporary file.
                let kept = FileWriter.settleForExit().map { TerminalText.escape($0) }
                FileHandleOutput.standardError(
                    "aq-import: interrupted before anything was sent"
                        + (kept.isEmpty ? "" : "; the rows rejected so far are in \(kept.joined(separator: ", "))"))
                Foundation.exit(ImportExitCode.interrupted.rawValue)
            }
            if second {
                _ = FileWriter.settleForExit()
                FileHandleOutput.standardError("aq-import: interrupted again; stopping now. \(Self.resumeHint())")
                Foundation.exit(ImportExitCode.interrupted.rawValue)
            }
            FileHandleOutput.standardError(
                "aq-import: stopping after the requests in flight (Ctrl-C again to stop now)")
            importer.stop()
        }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                progress.tick()
            }
        }
        let result = await importer.run()
        ticker.cancel()
        progress.finish()
        signals.cancel()
        try? await transport?.shutdown()

        let summaryText = TerminalText.escape(result.summary.renderText(), keepingLineBreaks: true)
        if planOut == "-" || summaryJson == "-" {
            FileHandleOutput.standardError(summaryText)
        } else {
            print(summaryText, terminator: "")
        }
        for message in result.messages { FileHandleOutput.standardError("aq-import: \(message)") }
        if result.exitCode == .interrupted || result.exitCode == .abortedResumable {
            FileHandleOutput.standardError("aq-import: \(Self.resumeHint())")
        }
        if let summaryJson {
            do {
                try FileWriter.write(try result.summary.jsonData(), toPath: summaryJson, allowStandardOutput: true)
            } catch {
                FileHandleOutput.standardError("aq-import: \(error)")
            }
        }
        if result.exitCode != .success { throw ExitCode(result.exitCode.rawValue) }
    }

    /// The exact command that resumes this run: the same one.
    static func resumeHint() -> String {
        "To resume, run the same command again:\n  "
            + CommandLine.arguments.map(ShellQuoting.quote).joined(separator: " ")
    }
}
