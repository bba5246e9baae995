import Hummingbird

/// Runs in front of every `/v2/` route: admission (concurrency and rate limits), latency, the seeded random
/// fault for this request, and the per-status counters. Problems thrown by the routes behind it become their
/// answers here so the counters see the real status.
struct FaultMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    let control: TestServerControl

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let instance = request.uri.path
        switch control.admit(RequestOperation(request)) {
        case .limited(let kind, let retryAfter):
            control.countRefused(status: "429")
            let detail =
                kind == "rate-limit"
                ? "rate limit exceeded (\(control.faults.rateLimit ?? 0) requests per second)"
                : "too many requests in flight (at most \(control.faults.maxConcurrent ?? 0))"
            return Problem(
                status: .tooManyRequests, rule: kind, title: "Too Many Requests", detail: detail,
                retryAfter: retryAfter
            ).response(instance: instance)
        case .proceed(let fault, let latency, let retryAfter):
            if let latency { try? await Task.sleep(for: latency) }
            switch fault {
            case .tooManyRequests:
                control.finish(status: "429")
                return Problem(
                    status: .tooManyRequests, rule: "injected-429", title: "Too Many Requests",
                    detail: "injected fault: rate limited", retryAfter: retryAfter
                ).response(instance: instance)
            case .internalServerError:
                control.finish(status: "500")
                return Problem(
                    status: .internalServerError, rule: "injected-500", title: "Internal Server Error",
                    detail: "injected fault: internal server error"
                ).response(instance: instance)
            case .serviceUnavailable:
                control.finish(status: "503")
                return Problem(
                    status: .serviceUnavailable, rule: "injected-503", title: "Service Unavailable",
                    detail: "injected fault: service unavailable", retryAfter: retryAfter
                ).response(instance: instance)
            case .reset:
                control.finish(status: "reset")
                await ConnectionDropper.drop(context.channel)
                throw ConnectionDropper.Dropped()
            case .lostAck:
                _ = try? await next(request, context)
                control.finish(status: "lost-ack")
                await ConnectionDropper.drop(context.channel)
                throw ConnectionDropper.Dropped()
            case nil:
                let response: Response
                do {
                    response = try await next(request, context)
                } catch let problem as Problem {
                    response = problem.response(instance: instance)
                } catch let error as any HTTPResponseError {
                    control.finish(status: String(error.status.code))
                    throw error
                } catch {
                    control.finish(status: "500")
                    throw error
                }
                control.finish(status: String(response.status.code))
                return response
            }
        }
    }
}
