/// What `GET /_control/stats` answers (snake_case JSON keys) and `TestServerControl.stats()` returns.
public struct TestServerStats: Sendable, Codable, Equatable {
    /// Answers of `/v2/` requests by status code; connections closed by a fault count as `reset` or `lost-ack`.
    public var requestsByStatus: [String: Int]
    public var requestsTotal: Int
    /// `/v2/` requests that arrived, by what they do, counted whatever their answer (faults and 429s included):
    /// `POST .../records`, `DELETE .../records`, and every read (GETs, `POST /v2/spans`, `POST /v2/traces`).
    public var addRecordsRequests: Int
    public var deleteRecordsRequests: Int
    public var readRequests: Int
    /// queue id -> records stored in it (every configured queue is listed)
    public var recordsStored: [String: Int]
    public var recordsStoredTotal: Int
    /// Records removed by `DELETE .../records`.
    public var recordsDeleted: Int
    /// Ids received that were already in the queue (or repeated within one request).
    public var duplicateIDsReceived: Int
    /// Ids a catalogue did not know (or were outside their window) and so were not created.
    public var unknownIDsIgnored: Int
    public var peakConcurrent: Int
    public var inFlight: Int
    /// By kind: `429`, `500`, `503`, `reset`, `lost-ack` (random faults), `rate-limit`, `max-concurrent`.
    public var faultsInjected: [String: Int]

    enum CodingKeys: String, CodingKey {
        case requestsByStatus = "requests_by_status"
        case requestsTotal = "requests_total"
        case addRecordsRequests = "add_records_requests"
        case deleteRecordsRequests = "delete_records_requests"
        case readRequests = "read_requests"
        case recordsStored = "records_stored"
        case recordsStoredTotal = "records_stored_total"
        case recordsDeleted = "records_deleted"
        case duplicateIDsReceived = "duplicate_ids_received"
        case unknownIDsIgnored = "unknown_ids_ignored"
        case peakConcurrent = "peak_concurrent"
        case inFlight = "in_flight"
        case faultsInjected = "faults_injected"
    }
}
