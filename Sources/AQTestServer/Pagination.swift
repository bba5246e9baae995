import Foundation
import Hummingbird

/// `limit` and `cursor` query parameters. Cursors are opaque to clients: base64 of `cursor:<offset>`.
struct Pagination: Sendable {
    var offset: Int
    var limit: Int

    init(request: Request, defaultLimit: Int, maxLimit: Int) throws(Problem) {
        let query = request.uri.queryParameters
        limit = defaultLimit
        offset = 0
        if let text = query["limit"] {
            guard let value = Int(text), (1...maxLimit).contains(value) else {
                throw .badRequest("bad-limit", "limit \"\(text)\" must be an integer from 1 to \(maxLimit)")
            }
            limit = value
        }
        if let text = query["cursor"], !text.isEmpty {
            guard let offset = Self.decodeCursor(String(text)) else {
                throw .badRequest("bad-cursor", "cursor \"\(text)\" is not a cursor this server issued")
            }
            self.offset = offset
        }
    }

    static func encodeCursor(_ offset: Int) -> String {
        Data("cursor:\(offset)".utf8).base64EncodedString()
    }

    static func decodeCursor(_ text: String) -> Int? {
        guard let data = Data(base64Encoded: text), let decoded = String(data: data, encoding: .utf8),
            decoded.hasPrefix("cursor:"), let offset = Int(decoded.dropFirst(7)), offset >= 0
        else { return nil }
        return offset
    }

    /// The `pagination` member for a page that ended at `end` of `total` items.
    static func json(end: Int, hasMore: Bool) -> JSONValue {
        var members: [(String, JSONValue)] = [("has_more", .bool(hasMore))]
        if hasMore { members.append(("next_cursor", .string(encodeCursor(end)))) }
        return .object(members)
    }
}
