import AQImportCore
import ArgumentParser

/// How to reach the API and how hard to push it.
struct DeliveryOptions: ParsableArguments {
    @Option(help: "API base URL (default https://api.arize.com; ARIZE_REGION, ARIZE_API_HOST, ... or the ax profile).")
    var endpoint: String?

    @Option(
        help: "Read the API key from this file (else ARIZE_API_KEY, else the ax profile). Never pass the key itself.")
    var apiKeyFile: String?

    @Option(help: "The ax CLI profile to read credentials and endpoint from (default: the active one).")
    var profile: String?

    @Flag(help: "Allow sending the API key over plain http to a host other than this machine.")
    var allowInsecureHTTP = false

    // Numeric options take the next word even when it starts with "-", so that `--concurrency -1` is
    // refused for its range rather than as a missing value.
    @Option(parsing: .unconditional, help: "Seconds one request may take, connecting included.")
    var timeout: Double = 60

    @Option(parsing: .unconditional, help: "Requests in flight at most (1 to 256); lowered for a while after 429s.")
    var concurrency: Int = 4

    @Option(parsing: .unconditional, help: "Requests per second at most (default: unlimited).")
    var rate: Double?

    @Option(parsing: .unconditional, help: "Attempts per request before the run stops (resumable).")
    var maxAttempts: Int = 8

    @Option(parsing: .unconditional, help: "Longest wait between attempts, Retry-After included, in seconds.")
    var maxBackoff: Double = 60

    @Option(help: "The journal file (default: under ./.aq-import/, named after the queue and inputs).")
    var journal: String?

    @Flag(help: "Start over: keep the old journal under a new name and begin a new one.")
    var restart = false

    @Flag(help: .hidden)
    var noJournalFsync = false

    func validate() throws {
        do throws(ConfigurationError) {
            try NumericSetting.concurrency.check(concurrency)
            try NumericSetting.maxAttempts.check(maxAttempts)
            try NumericSetting.timeout.check(timeout)
            try NumericSetting.maxBackoff.check(maxBackoff)
            if let rate { try NumericSetting.rate.check(rate) }
        } catch {
            throw ValidationError(error.localizedDescription)
        }
    }

    var senderConfiguration: SenderConfiguration {
        SenderConfiguration(
            concurrency: concurrency, rate: rate, maxAttempts: maxAttempts,
            maxBackoff: .milliseconds(Int(maxBackoff * 1000)),
            requestTimeout: .milliseconds(Int(timeout * 1000)), allowInsecureHTTP: allowInsecureHTTP,
            userAgent: "aq-import/\(ToolVersion.current)")
    }
}
