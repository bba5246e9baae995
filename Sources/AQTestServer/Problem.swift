import Hummingbird

/// An RFC 9457 problem answer. `rule` is a short slug that ends the `type` URI so tests and people can tell
/// the rules apart; `detail` names the rule and, for source rules, the source index.
struct Problem: Error, Sendable {
    var status: HTTPResponse.Status
    var rule: String
    var title: String
    var detail: String
    var retryAfter: String? = nil

    static let contentType = "application/problem+json"

    static func badRequest(_ rule: String, _ detail: String) -> Problem {
        Problem(status: .badRequest, rule: rule, title: "Bad Request", detail: detail)
    }

    static func unprocessable(_ rule: String, _ detail: String) -> Problem {
        Problem(status: .unprocessableContent, rule: rule, title: "Unprocessable Content", detail: detail)
    }

    static func notFound(_ detail: String) -> Problem {
        Problem(status: .notFound, rule: "not-found", title: "Not Found", detail: detail)
    }

    func response(instance: String) -> Response {
        let body = JSONValue.object([
            ("type", .string("urn:aq-test-server:problem:\(rule)")),
            ("title", .string(title)),
            ("status", .number(Double(status.code))),
            ("detail", .string(detail)),
            ("instance", .string(instance)),
        ])
        var headers: HTTPFields = [.contentType: Self.contentType]
        if let retryAfter { headers[.retryAfter] = retryAfter }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body.serialized)))
    }
}
