@testable import AQImportCore

/// A `DeliveryRecorder` that keeps every call in order, to check the journal contract.
final class InMemoryRecorder: DeliveryRecorder {
    enum Entry: Hashable {
        case sending(RequestID)
        case delivered(RequestID, status: Int, created: Int)
        case rejected(RequestID, rejections: [ServerRejection], created: Int)

        var request: RequestID {
            switch self {
            case .sending(let id), .delivered(let id, _, _), .rejected(let id, _, _): id
            }
        }
        var isFinal: Bool {
            if case .sending = self { return false }
            return true
        }
    }

    private let log = Locked<[Entry]>([])

    var entries: [Entry] { log.withLock { $0 } }

    func sending(_ request: RequestID) async throws { log.withLock { $0.append(.sending(request)) } }

    func delivered(_ request: RequestID, status: Int, created: Int) async throws {
        log.withLock { $0.append(.delivered(request, status: status, created: created)) }
    }

    func rejected(_ request: RequestID, rejections: [ServerRejection], created: Int) async throws {
        log.withLock { $0.append(.rejected(request, rejections: rejections, created: created)) }
    }

    /// Every final entry follows a `sending` of the same request, and no request has two final entries.
    var isConsistent: Bool {
        var sent: Set<RequestID> = []
        var settled: Set<RequestID> = []
        for entry in entries {
            if entry.isFinal {
                guard sent.contains(entry.request), settled.insert(entry.request).inserted else { return false }
            } else {
                sent.insert(entry.request)
            }
        }
        return true
    }

    var settled: Set<RequestID> { Set(entries.filter(\.isFinal).map(\.request)) }
}
