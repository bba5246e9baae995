/// One read request: a GET, or a POST whose JSON body is a query (`POST /v2/spans`). Nothing it asks
/// changes anything on the server, so the reader may repeat it freely.
public struct RemoteRead: Sendable, CustomStringConvertible {
    public var method: String
    /// The path, its id segments already percent-encoded (see `APIPath`).
    public var path: String
    /// Query parameters; values are percent-encoded when the URL is built.
    public var query: [(name: String, value: String)]
    /// The JSON body of a POST.
    public var body: [UInt8]?

    public static func get(_ path: String, query: [(name: String, value: String)] = []) -> RemoteRead {
        RemoteRead(method: "GET", path: path, query: query, body: nil)
    }

    public static func post(_ path: String, query: [(name: String, value: String)] = [], json body: [UInt8])
        -> RemoteRead
    {
        RemoteRead(method: "POST", path: path, query: query, body: body)
    }

    /// The path and query as sent: `/v2/spans?limit=500&cursor=abc`.
    public var target: String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { "\($0.name)=\(APIPath.percentEncode($0.value))" }.joined(separator: "&")
    }

    /// `POST /v2/spans`, for messages: the method and the path, without the query.
    public var description: String { "\(method) \(path)" }

    /// The same read with more query parameters (a page's `limit` and `cursor`).
    public func adding(_ parameters: [(name: String, value: String)]) -> RemoteRead {
        var read = self
        read.query += parameters
        return read
    }
}
