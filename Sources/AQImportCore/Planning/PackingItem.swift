/// One unit the packer cuts into sources: the ids of one (kind, scope) that share a window of at most 7
/// days (or, for examples and fixed-window records, all of that group's ids).
struct PackingItem: Sendable, Hashable {
    var kind: RecordKind
    var size: Int

    var isSession: Bool { kind == .session }

    /// How many ids one source of this item may carry.
    var cap: Int { kind.maxIDsPerSource }

    /// The fewest sources this item can be cut into.
    var minimumPieces: Int { (size + cap - 1) / cap }
}
