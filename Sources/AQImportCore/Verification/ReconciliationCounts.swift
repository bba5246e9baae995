/// Each planned id settled as one of three: created by this import, already in the queue before
/// it, or not found by the server (it answered, but the queue does not hold the id).
public struct ReconciliationCounts: Sendable, Hashable, Codable {

    public var created = 0
    public var alreadyPresent = 0
    public var notFound = 0
    /// Ids no 201 confirmed, left unsettled because the queue was not listed (`--verify never`).
    public var unconfirmed = 0

    public init(created: Int = 0, alreadyPresent: Int = 0, notFound: Int = 0, unconfirmed: Int = 0) {
        self.created = created
        self.alreadyPresent = alreadyPresent
        self.notFound = notFound
        self.unconfirmed = unconfirmed
    }

    public var total: Int { created + alreadyPresent + notFound + unconfirmed }

    public static func + (lhs: Self, rhs: Self) -> Self {
        Self(
            created: lhs.created + rhs.created, alreadyPresent: lhs.alreadyPresent + rhs.alreadyPresent,
            notFound: lhs.notFound + rhs.notFound, unconfirmed: lhs.unconfirmed + rhs.unconfirmed)
    }
}
