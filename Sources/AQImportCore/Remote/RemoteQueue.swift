/// The fields of an `AnnotationQueue` that the importer uses; the rest of the object is ignored.
public struct RemoteQueue: Sendable, Hashable, Decodable {
    public var id: String
    public var name: String
    public var spaceID: String?

    enum CodingKeys: String, CodingKey {
        case id, name
        case spaceID = "space_id"
    }

    public init(id: String, name: String, spaceID: String? = nil) {
        self.id = id
        self.name = name
        self.spaceID = spaceID
    }
}
