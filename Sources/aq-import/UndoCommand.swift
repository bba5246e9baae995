import AQImportCore
import ArgumentParser
import Foundation

/// `aq-import undo [JOURNAL]`: deletes the records the import created, and only those.
struct UndoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Delete the records an import created (records already in the queue before it stay).",
        discussion: """
            Works from the journal alone: DELETE requests of 100 record ids, with the import's concurrency, \
            retries and 429 handling, each journaled, so that an interrupted undo resumes and a repeated one \
            sends nothing. On a terminal it asks first unless --yes; without a terminal it needs --yes. \
            --dry-run prints what would be deleted.
            """)

    @Argument(help: "The journal (default: the only journal under ./.aq-import/).")
    var journalPath: String?

    @Flag(help: "Print what would be deleted; delete nothing.")
    var dryRun = false

    @Flag(name: .shortAndLong, help: "Delete without asking.")
    var yes = false

    @OptionGroup var delivery: DeliveryOptions

    @OptionGroup var output: OutputOptions

    func run() async throws {
        let session = try await JournalSession.open(argument: journalPath, delivery: delivery, output: output)
        let undo = Undo(reader: session.reader, queueID: session.state.header.queueID)
        func fail(_ message: String, _ code: ImportExitCode) async throws -> Never {
            try? await session.journal.close()
            await session.shutdown()
            FileHandleOutput.standardError("aq-import: \(message)")
            throw ExitCode(code.rawValue)
        }
        let plan: Undo.Plan
        do {
            plan = try await undo.plan(journal: session.journal, state: session.state)
        } catch let problem as Undo.Problem {
            try await fail(problem.localizedDescription, .nothingDone)
        } catch {
            try await fail("cannot plan the undo: \(error.localizedDescription)", .abortedResumable)
        }
        let queue = session.state.header.queueID
        if plan.alreadyUndone {
            try? await session.journal.close()
            await session.shutdown()
            print("The import in \(session.path) was already undone: nothing to delete.")
            return
        }
        let pendingRecords = plan.pending.reduce(0) { $0 + $1.recordIDs.count }
        var what =
            "\(pendingRecords) record(s) this import created in queue \(queue), in \(plan.pending.count) request(s)"
        if plan.keptAlreadyPresent > 0 {
            what += "; \(plan.keptAlreadyPresent) record(s) that were in the queue before the import stay"
        }
        if !plan.done.isEmpty {
            what += " (resuming: \(plan.batches.count - plan.pending.count) batch(es) done before)"
        }
        if dryRun {
            try? await session.journal.close()
            await session.shutdown()
            print("Would delete \(what).")
            return
        }
        if !yes {
            guard isatty(STDIN_FILENO) == 1 else {
                try await fail("undo deletes records: add --yes to confirm (no terminal to ask on)", .nothingDone)
            }
            FileHandle.standardError.write(Data("Delete \(what)? [y/N] ".utf8))
            let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased()
            guard answer == "y" || answer == "yes" else { try await fail("nothing deleted", .nothingDone) }
        }
        let deleted: Int
        do {
            deleted = try await undo.execute(plan, journal: session.journal, concurrency: session.concurrency)
            try await session.journal.close()
        } catch {
            try await fail(
                "undo stopped: \(error.localizedDescription); run the same undo again to resume", .abortedResumable)
        }
        await session.shutdown()
        print(
            "Undone: deleted \(deleted) record(s) from queue \(queue) (\(plan.recordCount) in all). Journal: \(session.path)"
        )
    }
}
