import AQImportCore
import ArgumentParser
import Foundation

/// `aq-import status [JOURNAL]`: how far an import got and how to resume it.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a journal's progress, whether its inputs changed, and the command that resumes it.",
        discussion: "Without an argument, every journal under ./.aq-import/ is shown.")

    @Argument(help: "A journal file (default: the journals under ./.aq-import/).")
    var journal: String?

    func run() throws {
        let paths = journal.map { [$0] } ?? JournalStatus.journals(in: ".aq-import")
        guard !paths.isEmpty else {
            print(
                "No journals under ./.aq-import/ (run aq-import from the directory of the import, or name a journal).")
            return
        }
        var failed = false
        for path in paths {
            if let problem = JournalStatus.pathProblem(path) {
                FileHandleOutput.standardError("aq-import: \(problem)")
                failed = true
                continue
            }
            do {
                print(TerminalText.escape(try JournalStatus.read(path: path).renderText(), keepingLineBreaks: true))
                if let selection = SelectionReport.read(at: SelectionReport.path(journal: path)) {
                    print(TerminalText.escape(selection.lines.joined(separator: "\n"), keepingLineBreaks: true))
                }
            } catch {
                FileHandleOutput.standardError("aq-import: \(path): \(error.localizedDescription)")
                failed = true
            }
        }
        if failed { throw ExitCode(ImportExitCode.nothingDone.rawValue) }
    }
}
