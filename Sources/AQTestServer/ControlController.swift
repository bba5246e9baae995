import Foundation
import Hummingbird

/// `/_control/` routes: no auth, no faults. `POST /_control/faults` takes a JSON object whose members are all
/// optional and change only what they name:
/// `{"fault": "429=0.2,reset=0.05" | "none", "retry_after": "1" | 1 | "http-date" | "none",
///   "latency_ms": "50,10" | 50 | null, "rate_limit": 100 | null, "max_concurrent": 8 | null}`.
///
/// `/_control/queues/{id}/records` sets a scene for a test without showing in the `/v2/` stats: `POST` seeds
/// records "already there before the import" (the add-records body, validated and answered as
/// `POST /v2/.../records` would), `GET` lists them (`limit`, `cursor`) and `DELETE` removes some
/// (`{"record_ids": [...]}`) as a person would by hand.
struct ControlController: Sendable {
    let control: TestServerControl
    let api: APIController

    func register(on router: Router<ServerRequestContext>) {
        router.get("_control/stats") { _, _ in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = try encoder.encode(control.stats())
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.get("_control/faults") { _, _ in APIController.json(.ok, Self.json(control.faults)) }
        router.post("_control/faults") { request, context in
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            do {
                let updated = try Self.apply(body: body.readableBytesView, to: control.faults)
                control.setFaults(updated)
                return APIController.json(.ok, Self.json(updated))
            } catch let problem as Problem {
                return problem.response(instance: request.uri.path)
            }
        }
        router.post("_control/queues/{id}/records") { request, context in
            try await Self.answering(request) { try await api.addRecords(request, context) }
        }
        router.get("_control/queues/{id}/records") { request, context in
            try await Self.answering(request) { try api.listRecords(request, context) }
        }
        router.delete("_control/queues/{id}/records") { request, context in
            try await Self.answering(request) { try await api.deleteRecords(request, context) }
        }
        router.post("_control/reset") { _, _ in
            control.reset()
            return Response(status: .noContent)
        }
    }

    /// The route's answer, or its problem as an answer (the `/v2/` middleware that does this is not in front).
    static func answering(_ request: Request, _ route: () async throws -> Response) async throws -> Response {
        do {
            return try await route()
        } catch let problem as Problem {
            return problem.response(instance: request.uri.path)
        }
    }

    static func json(_ faults: FaultSettings) -> JSONValue {
        .object([
            ("fault", .string(faults.faultArgument)),
            ("retry_after", .string(faults.retryAfter.argument)),
            ("latency_ms", faults.latency.map { .string($0.argument) } ?? .null),
            ("rate_limit", faults.rateLimit.map { .number(Double($0)) } ?? .null),
            ("max_concurrent", faults.maxConcurrent.map { .number(Double($0)) } ?? .null),
        ])
    }

    static func apply(body: some Collection<UInt8>, to current: FaultSettings) throws(Problem) -> FaultSettings {
        let document: JSONValue
        do {
            document = try JSONValue.parse(body)
        } catch {
            throw .badRequest(
                "malformed-json", "request body is not valid JSON: \(error.reason) at byte \(error.offset)")
        }
        guard case .object(let members) = document else {
            throw .badRequest("wrong-type", "request body must be a JSON object")
        }
        var faults = current
        for (name, value) in members {
            switch (name, value) {
            case ("fault", .string(let text)):
                do {
                    faults.probabilities = try FaultSettings.parseProbabilities(text)
                } catch {
                    throw .badRequest("bad-fault", error.description)
                }
            case ("retry_after", .string(let text)):
                guard let retryAfter = RetryAfter(argument: text) else {
                    throw .badRequest("bad-retry-after", "retry_after \"\(text)\" is not SECONDS, http-date or none")
                }
                faults.retryAfter = retryAfter
            case ("retry_after", .number(let seconds)) where seconds >= 0:
                faults.retryAfter = .seconds(Int(seconds))
            case ("latency_ms", .null):
                faults.latency = nil
            case ("latency_ms", .number(let mean)) where mean >= 0:
                faults.latency = Latency(meanMilliseconds: Int(mean))
            case ("latency_ms", .string(let text)):
                guard let latency = Latency(argument: text) else {
                    throw .badRequest("bad-latency", "latency_ms \"\(text)\" is not MEAN[,JITTER]")
                }
                faults.latency = latency
            case ("rate_limit", .null):
                faults.rateLimit = nil
            case ("rate_limit", .number(let rate)) where rate >= 0:
                faults.rateLimit = rate == 0 ? nil : Int(rate)
            case ("max_concurrent", .null):
                faults.maxConcurrent = nil
            case ("max_concurrent", .number(let limit)) where limit >= 0:
                faults.maxConcurrent = limit == 0 ? nil : Int(limit)
            case ("fault", _), ("retry_after", _), ("latency_ms", _), ("rate_limit", _), ("max_concurrent", _):
                throw .badRequest("wrong-type", "\(name): unexpected \(value.typeName) \(value.serialized)")
            default:
                throw .badRequest("unknown-field", "unknown field \"\(name)\"")
            }
        }
        return faults
    }
}
