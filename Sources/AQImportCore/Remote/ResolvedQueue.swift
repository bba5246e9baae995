/// The queue a run delivers to: its id, and when it was looked up by name, the name and space.
public struct ResolvedQueue: Sendable, Hashable, CustomStringConvertible {
    public var id: String
    public var name: String?
    public var spaceID: String?

    public init(id: String, name: String? = nil, spaceID: String? = nil) {
        self.id = id
        self.name = name
        self.spaceID = spaceID
    }

    public var description: String {
        guard let name else { return id }
        return "\(name.debugDescription) (\(id))"
    }
}
