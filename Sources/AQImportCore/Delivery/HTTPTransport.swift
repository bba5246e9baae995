/// Sends one HTTP request and returns the whole answer. The core speaks HTTP only through this, so that
/// it imports no networking library: AsyncHTTPClient implements it in production, in-memory fakes in
/// tests. An implementation throws `TransportError` when no answer came back, and `CancellationError`
/// when the calling task was cancelled.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
