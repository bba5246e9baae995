import Foundation

/// An RFC 9457 error body: `{"type", "title", "status", "detail", "instance"}`, sometimes with `request_id`.
public struct ProblemDetails: Sendable, Hashable, Decodable {
    public var type: String?
    public var title: String?
    public var status: Int?
    public var detail: String?
    public var instance: String?
    public var requestID: String?

    enum CodingKeys: String, CodingKey {
        case type, title, status, detail, instance
        case requestID = "request_id"
    }

    public init(
        type: String? = nil, title: String? = nil, status: Int? = nil, detail: String? = nil, instance: String? = nil,
        requestID: String? = nil
    ) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.instance = instance
        self.requestID = requestID
    }

    /// The problem in a JSON body, or `nil` when the body is not one.
    public static func parse(_ body: [UInt8]) -> ProblemDetails? {
        guard body.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "{")
        else { return nil }
        return try? JSONDecoder().decode(ProblemDetails.self, from: Data(body))
    }

    /// A one-line explanation of an error answer: the problem's detail (or title), else the start of the
    /// body as text, else the status alone.
    public static func summary(status: Int, body: [UInt8]) -> String {
        if let problem = parse(body), let text = problem.detail ?? problem.title, !text.isEmpty {
            return text
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self)
            .split(whereSeparator: \.isNewline).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? "HTTP \(status) with no detail" : text
    }
}
