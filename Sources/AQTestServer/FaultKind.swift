/// The faults the double injects with a probability per request.
public enum FaultKind: String, Sendable, Codable, CaseIterable, Hashable {
    /// 429 with Retry-After per the `retry-after` setting.
    case tooManyRequests = "429"
    case internalServerError = "500"
    /// 503 with Retry-After per the `retry-after` setting.
    case serviceUnavailable = "503"
    /// Close the connection (RST) before anything is stored.
    case reset = "reset"
    /// Store the records, then close the connection without answering.
    case lostAck = "lost-ack"
}
