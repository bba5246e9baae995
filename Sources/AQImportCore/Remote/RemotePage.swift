/// One page of a list answer: `{"<items>": [...], "pagination": {"has_more", "next_cursor"}}`.
struct RemotePage<Item: Decodable & Sendable>: Decodable, Sendable {
    var items: [Item]
    var nextCursor: String?

    struct Pagination: Decodable {
        var hasMore: Bool?
        var nextCursor: String?

        enum CodingKeys: String, CodingKey {
            case hasMore = "has_more"
            case nextCursor = "next_cursor"
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// The key of the item list, which differs per endpoint (`spaces`, `annotation_queues`).
    static var itemsKey: CodingUserInfoKey { CodingUserInfoKey(rawValue: "itemsKey")! }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        guard let key = decoder.userInfo[Self.itemsKey] as? String else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "no items key given"))
        }
        items = try container.decode([Item].self, forKey: AnyKey(stringValue: key))
        let pagination = try container.decodeIfPresent(Pagination.self, forKey: AnyKey(stringValue: "pagination"))
        // The SDK follows next_cursor alone; has_more = false ends the listing too.
        if pagination?.hasMore == false {
            nextCursor = nil
        } else {
            nextCursor = pagination?.nextCursor.flatMap { $0.isEmpty ? nil : $0 }
        }
    }
}
