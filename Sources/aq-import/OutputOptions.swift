import AQImportCore
import ArgumentParser
import Foundation
import Logging

/// What aq-import prints while it works.
struct OutputOptions: ParsableArguments {
    @Flag(help: "No progress line or log lines; the summary and errors still print.")
    var quiet = false

    @Option(
        help: "Log level on stderr: trace, debug, info, notice, warning, error (default warning; also ARIZE_LOG_LEVEL)."
    )
    var logLevel: Logger.Level?

    func validate() throws {}

    /// `--log-level`, else `ARIZE_LOG_LEVEL` (the SDK's variable), else warning.
    func resolvedLogLevel(environment: [String: String]) throws -> Logger.Level {
        if let logLevel { return logLevel }
        if let text = environment["ARIZE_LOG_LEVEL"]?.lowercased(), !text.isEmpty {
            if let level = Logger.Level(rawValue: text == "warn" ? "warning" : text) { return level }
            throw ValidationError("ARIZE_LOG_LEVEL=\(text) is not one of trace, debug, info, notice, warning, error")
        }
        return .warning
    }
}

extension OutputOptions {
    /// Bootstraps swift-log once, on stderr at the chosen level, and returns the run's logger.
    func bootstrapLogging(environment: [String: String]) throws -> Logger {
        let level = try resolvedLogLevel(environment: environment)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "aq-import")
        logger.logLevel = level
        return logger
    }

    /// The progress line on a terminal, plain lines every few seconds elsewhere, nothing with --quiet
    /// (or when `silent`: a dry run has no delivery to follow).
    func makeProgressReporter(environment: [String: String], silent: Bool) -> ProgressReporter {
        let mode = ProgressReporter.mode(
            isTerminal: isatty(STDERR_FILENO) != 0, quiet: quiet || silent, environment: environment)
        var options = ProgressReporter.Options()
        options.width = TerminalWidth.current()
        return ProgressReporter(mode: mode, options: options) { text in
            FileHandle.standardError.write(Data(text.utf8))
        }
    }
}

extension OutputOptions {
    /// Refuses, before anything is read or written, an output that would land on a directory, a
    /// device, a fifo or a socket. `files` take `-` for standard output (one of them at most);
    /// `directories` may also name a directory, never `-`.
    static func checkOutputs(files: [(flag: String, path: String?)], directories: [(flag: String, path: String?)])
        throws
    {
        let toStandardOutput = files.filter { $0.path == "-" }.map(\.flag)
        if toStandardOutput.count > 1 {
            throw ValidationError(
                "only one output can be standard output (-): \(toStandardOutput.joined(separator: ", "))")
        }
        for (flag, path) in files {
            guard let path else { continue }
            do throws(FileWriterError) {
                try FileWriter.checkTarget(path, allowStandardOutput: true)
            } catch {
                throw ValidationError("\(flag): \(error)")
            }
        }
        for (flag, path) in directories {
            guard let path else { continue }
            if path == "-" { throw ValidationError("\(flag) takes a file or a directory, not standard output (-)") }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                continue
            }
            do throws(FileWriterError) {
                try FileWriter.checkTarget(path)
            } catch {
                throw ValidationError("\(flag): \(error)")
            }
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
