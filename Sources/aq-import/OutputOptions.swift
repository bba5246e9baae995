import AQImportCore
import ArgumentParser
import Logging

/// What aq-import prints while it works.
struct OutputOptions: ParsableArguments {
    @Flag(help: "No progress line or log lines; the summary and errors still print.")
    var quiet = false

    @Option(help: "Log level on stderr: trace, debug, info, notice, warning, error (default warning; also ARIZE_LOG_LEVEL).")
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

extension Logger.Level: @retroactive ExpressibleByArgument {}
