/// The fields of a `Space` that name resolution uses.
public struct RemoteSpace: Sendable, Hashable, Decodable {
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}
