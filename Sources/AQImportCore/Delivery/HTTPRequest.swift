/// A request as the core builds it: method, absolute URL, headers, body bytes and how long it may take.
public struct HTTPRequest: Sendable, CustomStringConvertible {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The deadline for the whole exchange (connect, send, receive); `nil` leaves it to the transport.
    public var timeout: Duration?

    public init(
        method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        timeout: Duration? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// The first value of a header, matched without regard to case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Never shows the `Authorization` value, so that a logged request cannot leak the key.
    public var description: String {
        let shown = headers.map { header in
            header.name.lowercased() == "authorization"
                ? "\(header.name): <redacted>" : "\(header.name): \(header.value)"
        }
        return "\(method) \(url) [\(shown.joined(separator: ", "))] \(body.count) bytes"
    }
}
