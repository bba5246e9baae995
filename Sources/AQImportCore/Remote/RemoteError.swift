import Foundation

/// Why a queue or space could not be resolved or checked. Messages name the key's source, never the key.
public enum RemoteError: Error, Sendable, Hashable, LocalizedError {
    /// A queue name was given without `--space`.
    case queueNameNeedsSpace(queue: String)
    case spaceNotFound(name: String, suggestions: [String])
    case spaceAmbiguous(name: String, ids: [String])
    case queueNotFound(name: String, space: String, suggestions: [String])
    /// The queue id answered 404: missing, or not readable with this key.
    case queueMissing(id: String)
    /// 401 or 403.
    case unauthorized(status: Int, keySource: String, detail: String)
    /// Any other error answer.
    case http(status: Int, request: String, detail: String)
    case transport(TransportError)
    case malformedResponse(request: String, reason: String)
    /// The calling task was cancelled.
    case cancelled

    public var errorDescription: String? {
        switch self {
        case .queueNameNeedsSpace(let queue):
            "--queue \(queue.debugDescription) is a name, not an id; pass --space (its id or name) so that it can "
                + "be looked up, or pass the queue's id"
        case .spaceNotFound(let name, let suggestions):
            "no space named \(name.debugDescription) (names match exactly, case included)"
                + Self.nearest(suggestions)
        case .spaceAmbiguous(let name, let ids):
            "\(ids.count) spaces are named \(name.debugDescription); pass one of their ids with --space: "
                + ids.joined(separator: ", ")
        case .queueNotFound(let name, let space, let suggestions):
            "no annotation queue named \(name.debugDescription) in space \(space) (names match exactly, case included)"
                + Self.nearest(suggestions)
        case .queueMissing(let id):
            "annotation queue \(id) does not exist, or the API key cannot read it (HTTP 404)"
        case .unauthorized(let status, let keySource, let detail):
            (status == 401
                ? "the API key from \(keySource) was not accepted (HTTP 401)"
                : "the API key from \(keySource) is not permitted to read this (HTTP 403)")
                + (detail.isEmpty ? "" : ": \(detail)")
        case .http(let status, let request, let detail):
            "\(request) answered HTTP \(status): \(detail)"
        case .transport(let error):
            "could not reach the API: \(error)"
        case .malformedResponse(let request, let reason):
            "\(request) answered with an unexpected body: \(reason)"
        case .cancelled:
            "cancelled"
        }
    }

    private static func nearest(_ suggestions: [String]) -> String {
        suggestions.isEmpty
            ? "; no similar names found"
            : "; nearest names: " + suggestions.map(\.debugDescription).joined(separator: ", ")
    }
}
