import Hummingbird

/// What a `/v2/` request does, for the stats: adding records, deleting records, or reading (every GET, and the
/// span and trace searches, which are POSTs that change nothing).
enum RequestOperation: Sendable {
    case addRecords
    case deleteRecords
    case read

    init(_ request: Request) {
        let path = request.uri.path
        let isRecords = path.hasPrefix("/v2/annotation-queues/") && path.hasSuffix("/records")
        switch request.method {
        case .post where isRecords: self = .addRecords
        case .delete where isRecords: self = .deleteRecords
        default: self = .read
        }
    }
}
