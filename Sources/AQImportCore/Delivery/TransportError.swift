/// Why no answer came back. The retry policy decides from the case alone; the text is for messages.
public enum TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No connection could be made (refused, unreachable, name not resolved).
    case connectionFailed(String)
    /// The connection broke while the request or its answer was on the way.
    case connectionReset(String)
    /// Connecting or the whole exchange took longer than allowed.
    case timedOut(String)
    /// The request may have reached the server, but the connection closed before a complete answer.
    case noResponse(String)
    /// TLS failed (certificate not trusted, handshake refused): retrying does not help.
    case tlsFailure(String)
    /// The request could not be built or sent at all (bad URL): retrying does not help.
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .connectionFailed(let detail): "connection failed: \(detail)"
        case .connectionReset(let detail): "connection reset: \(detail)"
        case .timedOut(let detail): "timed out: \(detail)"
        case .noResponse(let detail): "connection closed without a response: \(detail)"
        case .tlsFailure(let detail): "TLS failed: \(detail)"
        case .invalidRequest(let detail): "invalid request: \(detail)"
        }
    }
}
