import Hummingbird
import Logging
import ServiceLifecycle

/// The local double of the Arize annotation-queue API (see shared/api/README.md).
///
/// In-process use:
/// ```swift
/// try await TestServer.withRunning(TestServerConfiguration()) { server in
///     // server.baseURL == "http://127.0.0.1:<port>", server.control.stats(), server.control.setFaults(...)
/// }
/// ```
public struct TestServer: Sendable {
    public let configuration: TestServerConfiguration
    public let control: TestServerControl
    let logger: Logger
    let validator: AddRecordsValidator

    /// Throws `ResolvedCatalogue.BadTime` when a catalogue time is not RFC 3339 with an offset.
    public init(configuration: TestServerConfiguration = TestServerConfiguration(), logger: Logger? = nil) throws {
        self.configuration = configuration
        self.logger = logger ?? Self.quietLogger
        let catalogue = try configuration.catalogue.map { catalogue throws(ResolvedCatalogue.BadTime) in
            try ResolvedCatalogue(catalogue)
        }
        validator = AddRecordsValidator(catalogue: catalogue, unknownIDs: configuration.unknownIDs)
        control = TestServerControl(
            faults: configuration.faults, seed: configuration.seed, queueIDs: configuration.queues.map(\.id))
    }

    static var quietLogger: Logger {
        var logger = Logger(label: "aq-test-server")
        logger.logLevel = .warning
        return logger
    }

    /// The Hummingbird application; `onListening` gets the bound port (useful with port 0).
    public func makeApplication(
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router(context: ServerRequestContext.self)
        let api = router.group("v2")
            .add(middleware: FaultMiddleware(control: control))
            .add(middleware: AuthMiddleware(keys: Set(configuration.apiKeys)))
        let controller = APIController(configuration: configuration, validator: validator, control: control)
        controller.register(on: api)
        SearchController(catalogue: validator.catalogue, control: control).register(on: api)
        ControlController(control: control, api: controller).register(on: router)
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    /// Serves until SIGINT or SIGTERM (or cancellation), then stops gracefully.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: [makeApplication(onListening: onListening)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            ))
        try await group.run()
    }

    /// Starts the server in the background and returns once it listens.
    public func start() async throws -> RunningTestServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let group = ServiceGroup(
            configuration: .init(
                services: [makeApplication { port in continuation.yield(port) }],
                gracefulShutdownSignals: [],
                logger: logger
            ))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value
            throw StartError()
        }
        return RunningTestServer(
            host: configuration.host, port: port, control: control, serviceGroup: group, task: task)
    }

    struct StartError: Error, CustomStringConvertible {
        var description: String { "the test server stopped before it was listening" }
    }

    /// Starts a server, runs `body` with it, and shuts it down however `body` ends.
    public static func withRunning<T>(
        _ configuration: TestServerConfiguration = TestServerConfiguration(),
        logger: Logger? = nil,
        _ body: (RunningTestServer) async throws -> T
    ) async throws -> T {
        let server = try await TestServer(configuration: configuration, logger: logger).start()
        do {
            let value = try await body(server)
            try await server.shutdown()
            return value
        } catch {
            try? await server.shutdown()
            throw error
        }
    }
}
