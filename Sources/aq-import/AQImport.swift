import AQImportCore
import ArgumentParser
import Foundation

/// The root command. Usage errors exit 2 (ArgumentParser's own default is 64), as the README promises.
@main
struct AQImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aq-import",
        abstract: "Bulk-load span, trace, session and dataset-example exports into an Arize annotation queue.",
        discussion: ImportCommand.configuration.discussion
            + "\n\nSee 'aq-import import --help' for every option (they are the default command's).",
        version: ToolVersion.current,
        subcommands: [ImportCommand.self, StatusCommand.self, VerifyCommand.self, UndoCommand.self],
        defaultSubcommand: ImportCommand.self
    )

    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                let message = fullMessage(for: error)
                if !message.isEmpty { FileHandleOutput.standardError(message) }
                Foundation.exit(ImportExitCode.nothingDone.rawValue)
            }
            exit(withError: error)
        }
    }
}
