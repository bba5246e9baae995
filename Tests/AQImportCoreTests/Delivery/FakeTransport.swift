import Foundation

@testable import AQImportCore

/// An in-memory transport: each call is answered by a script that sees the request and the call's
/// number (0-based). It counts calls and the most requests it ever had in flight at once.
final class FakeTransport: HTTPTransport {
    typealias Script = @Sendable (HTTPRequest, Int) async throws -> HTTPResponse

    private struct State {
        var calls: [HTTPRequest] = []
        var inFlight = 0
        var maxInFlight = 0
        /// For each call, how many were in flight when it started (itself included).
        var inFlightAtStart: [Int] = []
    }

    private let script: Script
    private let state = Locked(State())

    init(_ script: @escaping Script) {
        self.script = script
    }

    /// Answers the calls in order from a list, then 201 for every further call.
    convenience init(responses: [Result<HTTPResponse, TransportError>]) {
        self.init { request, index in
            guard index < responses.count else { return FakeTransport.created(for: request) }
            return try responses[index].get()
        }
    }

    var calls: [HTTPRequest] { state.withLock { $0.calls } }
    var maxInFlight: Int { state.withLock { $0.maxInFlight } }
    var inFlight: Int { state.withLock { $0.inFlight } }
    var inFlightAtStart: [Int] { state.withLock { $0.inFlightAtStart } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let index = state.withLock { state -> Int in
            state.calls.append(request)
            state.inFlight += 1
            state.maxInFlight = max(state.maxInFlight, state.inFlight)
            state.inFlightAtStart.append(state.inFlight)
            return state.calls.count - 1
        }
        defer { state.withLock { $0.inFlight -= 1 } }
        return try await script(request, index)
    }

    /// The ids in a request body, across its sources.
    static func ids(in request: HTTPRequest) -> [String] {
        guard let json = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any],
            let sources = json["record_sources"] as? [[String: Any]]
        else { return [] }
        return sources.flatMap { source in
            RecordKind.allCases.flatMap { (source[$0.idsField] as? [String]) ?? [] }
        }
    }

    /// A 201 whose body lists one created record per id.
    static func created(for request: HTTPRequest) -> HTTPResponse {
        let entries = ids(in: request).map { _ in #"{"id":"r"}"# }.joined(separator: ",")
        return HTTPResponse(
            status: 201, headers: [("Content-Type", "application/json")],
            body: Array(#"{"record_sources":[\#(entries)]}"#.utf8))
    }

    static func problem(_ status: Int, _ detail: String, headers: [(name: String, value: String)] = []) -> HTTPResponse
    {
        HTTPResponse(
            status: status, headers: [("Content-Type", "application/problem+json")] + headers,
            body: Array(#"{"type":"about:blank","title":"Error","status":\#(status),"detail":"\#(detail)"}"#.utf8))
    }
}
