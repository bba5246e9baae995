/// The ids one item of a read answer carries, wherever it keeps them: a REST `Span` nests them
/// (`context.span_id`, `attributes` with dotted keys such as `"session.id"`), a trace has `trace_id`,
/// an example `id`, and a flat export-style object uses the dotted names as keys. Every field is
/// optional and a field of another type is ignored: an item that names no id is simply not a match.
public struct PreflightItem: Decodable, Sendable, Hashable {
    public var spanID: String?
    public var traceID: String?
    public var sessionID: String?
    public var id: String?

    public init(spanID: String? = nil, traceID: String? = nil, sessionID: String? = nil, id: String? = nil) {
        self.spanID = spanID
        self.traceID = traceID
        self.sessionID = sessionID
        self.id = id
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let root = try decoder.container(keyedBy: Key.self)
        let context = try? root.nestedContainer(keyedBy: Key.self, forKey: Key("context"))
        let attributes = try? root.nestedContainer(keyedBy: Key.self, forKey: Key("attributes"))
        let session = try? attributes?.nestedContainer(keyedBy: Key.self, forKey: Key("session"))
        spanID = Self.string(context, "span_id") ?? Self.string(root, "context.span_id") ?? Self.string(root, "span_id")
        traceID =
            Self.string(context, "trace_id") ?? Self.string(root, "context.trace_id") ?? Self.string(root, "trace_id")
        sessionID =
            Self.string(attributes, "session.id") ?? Self.string(session, "id")
            ?? Self.string(root, "attributes.session.id") ?? Self.string(root, "session_id")
        id = Self.string(root, "id") ?? Self.string(root, "example_id")
    }

    private static func string(_ container: KeyedDecodingContainer<Key>?, _ key: String) -> String? {
        guard let container else { return nil }
        return try? container.decodeIfPresent(String.self, forKey: Key(key))
    }
}
