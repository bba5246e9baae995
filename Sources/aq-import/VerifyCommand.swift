import AQImportCore
import AQImportHTTP
import ArgumentParser
import Foundation

extension VerifyMode: ExpressibleByArgument {}
extension MissingIDsWriter.Format: ExpressibleByArgument {}

/// `aq-import verify [JOURNAL]`: lists the queue and settles every id the import delivered, from the
/// journal alone (the inputs are not needed). Exit 0 only when the queue holds every delivered id.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check, from the journal alone, that the queue holds every id an import delivered.",
        discussion: """
            Lists the queue's records (one GET per 500 records) and settles each delivered id as created by the \
            import, already in the queue before it, or missing. Missing ids are written as files that aq-import \
            imports again (one per kind). Exit 0 when every delivered id is in the queue, 1 when some are missing.
            """)

    @Argument(help: "The journal (default: the only journal under ./.aq-import/).")
    var journalPath: String?

    @Option(
        help:
            "Where the missing ids go: <path>.<kind>.<format> (default: the journal's path without .journal, plus .missing)."
    )
    var missingOut: String?

    @Option(help: "Format of the missing-ids files: csv or ndjson.")
    var missingFormat: MissingIDsWriter.Format = .csv

    @OptionGroup var delivery: DeliveryOptions

    @OptionGroup var output: OutputOptions

    func run() async throws {
        let session = try await JournalSession.open(
            argument: journalPath, delivery: delivery, output: output, forReconciling: true)
        let verifier = Verifier(listing: QueueListing(reader: session.reader, queueID: session.state.header.queueID))
        let result: Reconciliation
        do {
            result = try await verifier.reconcile(session.state, mode: .always)
            if !result.newlyFound.isEmpty { try await session.journal.recordFound(result.newlyFound) }
            try await session.journal.recordVerification(result.perKind)
            try await session.journal.close()
        } catch {
            try? await session.journal.close()
            await session.shutdown()
            FileHandleOutput.standardError("aq-import: cannot verify: \(error.localizedDescription)")
            throw ExitCode(ImportExitCode.abortedResumable.rawValue)
        }
        await session.shutdown()
        var paths: [String] = []
        if !result.missing.isEmpty {
            let base =
                missingOut
                ?? ((session.path.hasSuffix(".journal") ? String(session.path.dropLast(8)) : session.path) + ".missing")
            do {
                paths = try MissingIDsWriter(format: missingFormat).write(result.missing, base: base)
            } catch {
                FileHandleOutput.standardError("aq-import: cannot write the missing ids: \(error)")
            }
        }
        print(Self.render(result, journal: session.path, state: session.state, missingPaths: paths), terminator: "")
        if !result.missing.isEmpty { throw ExitCode(ImportExitCode.someRejected.rawValue) }
    }

    static func render(_ result: Reconciliation, journal: String, state: JournalState, missingPaths: [String]) -> String
    {
        var lines = [
            "Verified \(journal) against queue \(state.header.queueID) (\(result.queuedRecords) records listed)"
        ]
        for group in result.groupsWithNoneFound {
            lines.append(
                "  NONE of the \(result.perGroup[group]?.notFound ?? 0) \(group.kind.rawValue) ids of "
                    + "\(group.scope.description) are in the queue")
        }
        for kind in RecordKind.allCases {
            guard let c = result.perKind[kind] else { continue }
            lines.append(
                "  \(kind.rawValue): created by this import \(c.created), already in the queue \(c.alreadyPresent), "
                    + "missing \(c.notFound)")
        }
        if !state.unsettled.isEmpty {
            lines.append("  \(state.unsettled.count) request(s) were in flight when the import stopped: resume it")
        }
        let shown = result.missing.prefix(100)
        if !shown.isEmpty { lines.append("  missing ids:") }
        for item in shown {
            lines.append("    \(item.kind.rawValue) \(item.id.text.debugDescription): \(item.reason)")
        }
        if result.missing.count > shown.count { lines.append("    ... and \(result.missing.count - shown.count) more") }
        for path in missingPaths { lines.append("  missing ids written to \(path) (import it to send them again)") }
        if result.missing.isEmpty { lines.append("  every delivered id is in the queue") }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// An existing journal opened for `verify` or `undo`, with a reader for the endpoint it was written for.
struct JournalSession {
    var path: String
    var journal: Journal
    var state: JournalState
    var reader: RemoteReader
    var transport: AsyncHTTPClientTransport
    var concurrency: Int

    func shutdown() async {
        try? await transport.shutdown()
    }

    /// The journal named, or the only one under ./.aq-import/.
    static func resolvePath(_ argument: String?) throws -> String {
        if let argument { return argument }
        let found = JournalStatus.journals(in: ".aq-import")
        guard found.count == 1 else {
            let listing = found.isEmpty ? "there is none" : "there are \(found.count): " + found.joined(separator: ", ")
            FileHandleOutput.standardError("aq-import: name the journal; under ./.aq-import/ \(listing)")
            throw ExitCode(ImportExitCode.nothingDone.rawValue)
        }
        return found[0]
    }

    /// `forReconciling`: the journal is read without its record ids (only undo needs them).
    static func open(
        argument: String?, delivery: DeliveryOptions, output: OutputOptions, forReconciling: Bool = false
    ) async throws -> JournalSession {
        let environment = ProcessInfo.processInfo.environment
        let logger = try output.bootstrapLogging(environment: environment)
        let path = try resolvePath(argument ?? delivery.journal)
        if let problem = JournalStatus.pathProblem(path) {
            FileHandleOutput.standardError("aq-import: \(problem)")
            throw ExitCode(ImportExitCode.nothingDone.rawValue)
        }
        let settings: ConnectionSettings
        do {
            settings = try ConnectionSettings.resolve(
                endpointFlag: delivery.endpoint, apiKeyFile: delivery.apiKeyFile, profileName: delivery.profile,
                environment: environment, home: environment["HOME"] ?? NSHomeDirectory())
            try settings.endpoint.requireSecureTransport(allowInsecureHTTP: delivery.allowInsecureHTTP)
        } catch {
            FileHandleOutput.standardError("aq-import: \(error.localizedDescription)")
            throw ExitCode(ImportExitCode.nothingDone.rawValue)
        }
        let journal: Journal
        let state: JournalState
        do {
            (journal, state) = try await Journal.openExisting(
                path: path, fsync: !delivery.noJournalFsync, forReconciling: forReconciling)
        } catch {
            FileHandleOutput.standardError("aq-import: \(error.localizedDescription)")
            throw ExitCode(ImportExitCode.nothingDone.rawValue)
        }
        let host = settings.endpoint.host + (settings.endpoint.port.map { ":\($0)" } ?? "")
        guard host == state.header.endpointHost else {
            try? await journal.close()
            FileHandleOutput.standardError(
                "aq-import: journal \(path) was written for \(state.header.endpointHost), not \(host): "
                    + "give the same --endpoint (or region) as the import")
            throw ExitCode(ImportExitCode.nothingDone.rawValue)
        }
        let transport: AsyncHTTPClientTransport
        do {
            transport = try AsyncHTTPClientTransport(
                configuration: .init(
                    requestTimeout: .milliseconds(Int(delivery.timeout * 1000)), concurrency: delivery.concurrency,
                    caCertificateFile: settings.caCertificateFile, verifyCertificates: settings.requestVerify,
                    proxy: settings.proxy),
                logger: logger)
        } catch {
            try? await journal.close()
            FileHandleOutput.standardError("aq-import: \(error.localizedDescription)")
            throw ExitCode(ImportExitCode.nothingDone.rawValue)
        }
        let reader = RemoteReader(
            transport: transport, endpoint: settings.endpoint, credential: settings.credential,
            keySource: settings.keySource, configuration: delivery.senderConfiguration, logger: logger)
        return JournalSession(
            path: path, journal: journal, state: state, reader: reader, transport: transport,
            concurrency: delivery.concurrency)
    }
}
