/// What the sender tells the journal about each planned request. The journal implements it; unit tests
/// use an in-memory recorder. A request split by bisection is recorded once, under the planned
/// request's id, when its last piece is settled: a crash during bisection re-sends the whole request
/// and the server's de-duplication absorbs what had already gone in.
public protocol DeliveryRecorder: Sendable {
    /// Before the request leaves (so that a crash leaves a trace of what may have reached the server).
    func sending(_ request: RequestID) async throws
    /// The server took every record: 201 (some created) or 200 (all were already there).
    func delivered(_ request: RequestID, status: Int, created: Int) async throws
    /// Some ids were refused (400/422 after bisection isolated them); the others were delivered.
    func rejected(_ request: RequestID, rejections: [ServerRejection], created: Int) async throws
    /// Just before `delivered` or `rejected`: the request's ids and the records its 201 answers
    /// created (what reconciling and undo need). Recorders that do not reconcile ignore it.
    func landed(_ request: PlannedRequest, created: [QueueRecord]) async throws
}

extension DeliveryRecorder {
    public func landed(_ request: PlannedRequest, created: [QueueRecord]) async throws {}
}

/// One id the server refused, with the server's answer.
public struct ServerRejection: Sendable, Hashable, Codable {
    public var kind: RecordKind
    public var id: String
    public var status: Int
    public var detail: String

    public init(kind: RecordKind, id: String, status: Int, detail: String) {
        self.kind = kind
        self.id = id
        self.status = status
        self.detail = detail
    }
}
