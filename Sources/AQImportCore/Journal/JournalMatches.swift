/// Queue records that a listing matched to planned ids, journaled so that later runs, `verify` and
/// `undo` know them without listing again: the ids already queued before the import's first request
/// (the baseline), or ids found in the queue after delivery that no 201 had confirmed (answers lost
/// on the way), which this import created.
public struct JournalMatches: Sendable, Hashable, Codable {
    public struct Match: Sendable, Hashable, Codable {
        public var kind: RecordKind
        public var id: String
        public var recordID: String

        public init(kind: RecordKind, id: String, recordID: String) {
            self.kind = kind
            self.id = id
            self.recordID = recordID
        }

        enum CodingKeys: String, CodingKey {
            case kind = "k"
            case id = "i"
            case recordID = "r"
        }
    }

    public var matches: [Match]

    public init(matches: [Match]) {
        self.matches = matches
    }

    enum CodingKeys: String, CodingKey {
        case matches = "m"
    }
}
