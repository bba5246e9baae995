import AQTestServer
import Hummingbird
import HummingbirdTesting

/// Real HTTP over loopback to a `RunningTestServer`, one connection per request, so a fault that closes the
/// connection shows as `.closed` instead of poisoning the next request.
enum LiveClient {
    enum Outcome: Equatable, Sendable, CustomStringConvertible {
        case status(Int)
        case closed

        var description: String {
            switch self {
            case .status(let code): return String(code)
            case .closed: return "closed"
            }
        }
    }

    static func send(
        _ server: RunningTestServer, method: HTTPRequest.Method = .post, uri: String = Fixtures.recordsPath,
        body: String? = nil
    ) async -> (Outcome, TestClient.Response?) {
        do {
            let response = try await TestClient.withClient(
                host: server.host, port: server.port, configuration: .init(timeout: .seconds(30))
            ) { client in
                try await client.execute(
                    .init(uri, method: method, headers: Fixtures.headers, body: body.map { ByteBuffer(string: $0) }))
            }
            return (.status(response.status.code), response)
        } catch {
            return (.closed, nil)
        }
    }
}
