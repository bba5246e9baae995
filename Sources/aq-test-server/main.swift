import AQTestServer
import ArgumentParser
import Foundation
import Logging

/// `aq-test-server`: the local double of the Arize annotation-queue API. Parses flags, prints the address,
/// runs the library's server until SIGINT or SIGTERM.
@main
struct AQTestServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aq-test-server",
        abstract: "A local double of the Arize annotation-queue API, with fault injection.",
        discussion: """
            Prints `listening on http://HOST:PORT` as its first line. Default data: space `demo` \
            (U3BhY2U6MTpkZW1v) holding queue `demo` (QW5ub3RhdGlvblF1ZXVlOjE6ZGVtbw==), API key `test-key`. \
            Control endpoints: GET /_control/stats, GET|POST /_control/faults, POST /_control/reset, \
            POST|GET|DELETE /_control/queues/{id}/records (seed, list, delete by hand; not counted in the stats).
            """
    )

    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(help: "Port to bind; 0 picks a free one.")
    var port = 0

    @Option(
        name: .customLong("api-key"),
        help: "An accepted API key (repeatable; test-key is always accepted unless a config file drops the defaults).")
    var apiKeys: [String] = []

    @Option(help: "JSON file with spaces, queues, api_keys, catalogue, unknown_ids.")
    var config: String?

    @Option(name: .customLong("unknown-ids"), help: "With a catalogue: ignore or reject ids it does not know.")
    var unknownIDs: String?

    @Option(help: "Seed of the fault draws; the same seed gives the same fault for the n-th request.")
    var seed: UInt64 = 0

    @Option(help: "Fault probabilities per request, e.g. 429=0.2,500=0.05,503=0.05,reset=0.05,lost-ack=0.05.")
    var fault: String = ""

    @Option(
        name: .customLong("retry-after"), help: "Retry-After on injected 429/503: SECONDS, http-date[:SECONDS] or none."
    )
    var retryAfter: String = "1"

    @Option(name: .customLong("latency-ms"), help: "Added latency per request: MEAN[,JITTER] milliseconds.")
    var latency: String?

    @Option(
        name: .customLong("rate-limit"), help: "Requests per second (token bucket); beyond it 429 with Retry-After.")
    var rateLimit: Int?

    @Option(name: .customLong("max-concurrent"), help: "Requests in flight beyond this get 429.")
    var maxConcurrent: Int?

    @Option(name: .customLong("log-level"), help: "Log level on stderr (trace, debug, info, notice, warning, error).")
    var logLevel: String = "warning"

    func validate() throws {
        if let unknownIDs, UnknownIDPolicy(rawValue: unknownIDs) == nil {
            throw ValidationError("--unknown-ids must be ignore or reject")
        }
        if RetryAfter(argument: retryAfter) == nil {
            throw ValidationError("--retry-after must be SECONDS, http-date, http-date:SECONDS or none")
        }
        if let latency, Latency(argument: latency) == nil {
            throw ValidationError("--latency-ms must be MEAN or MEAN,JITTER (milliseconds)")
        }
        if let rateLimit, rateLimit < 1 { throw ValidationError("--rate-limit must be at least 1") }
        if let maxConcurrent, maxConcurrent < 1 { throw ValidationError("--max-concurrent must be at least 1") }
        if Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level \(logLevel) is not a level") }
        do {
            _ = try FaultSettings.parseProbabilities(fault)
        } catch {
            throw ValidationError("--fault: \(error.description)")
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "aq-test-server")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .warning

        var configuration = TestServerConfiguration(host: host, port: port)
        if let config {
            do {
                configuration.apply(try ConfigFile.load(path: config))
            } catch {
                throw ValidationError("--config \(config): \(error)")
            }
        }
        configuration.apiKeys += apiKeys
        if let unknownIDs { configuration.unknownIDs = UnknownIDPolicy(rawValue: unknownIDs)! }
        configuration.seed = seed
        configuration.faults = FaultSettings(
            probabilities: try FaultSettings.parseProbabilities(fault),
            retryAfter: RetryAfter(argument: retryAfter)!,
            latency: latency.flatMap(Latency.init(argument:)),
            rateLimit: rateLimit,
            maxConcurrent: maxConcurrent
        )
        let server: TestServer
        do {
            server = try TestServer(configuration: configuration, logger: logger)
        } catch {
            throw ValidationError("\(error)")
        }
        let host = self.host
        try await server.run { port in
            // Unbuffered, so a parent reading the pipe sees the line at once.
            FileHandle.standardOutput.write(Data("listening on http://\(host):\(port)\n".utf8))
        }
    }
}
