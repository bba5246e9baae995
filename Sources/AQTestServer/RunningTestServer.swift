import ServiceLifecycle

/// A double listening in this process, from `TestServer.start()` or `TestServer.withRunning`.
public struct RunningTestServer: Sendable {
    public let host: String
    public let port: Int
    /// Stats, fault settings and reset, without going through HTTP.
    public let control: TestServerControl
    let serviceGroup: ServiceGroup
    let task: Task<Void, any Error>

    /// `http://127.0.0.1:PORT`, what aq-import takes as `--endpoint`.
    public var baseURL: String { "http://\(host):\(port)" }

    /// Stops accepting, lets requests in flight finish, and waits until the server has stopped.
    public func shutdown() async throws {
        await serviceGroup.triggerGracefulShutdown()
        try await task.value
    }
}
