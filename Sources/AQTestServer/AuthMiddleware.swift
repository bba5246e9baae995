import Hummingbird

/// `Authorization: Bearer <key>` with one of the configured keys, or 401.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    let keys: Set<String>

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw Problem.unauthorized("missing Authorization header (expected Bearer <api key>)")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw Problem.unauthorized("Authorization header is not a Bearer credential")
        }
        guard keys.contains(String(parts[1].trimmingSpaces)) else {
            throw Problem.unauthorized("invalid API key")
        }
        return try await next(request, context)
    }
}

extension Problem {
    static func unauthorized(_ detail: String) -> Problem {
        Problem(status: .unauthorized, rule: "unauthorized", title: "Unauthorized", detail: detail)
    }
}
