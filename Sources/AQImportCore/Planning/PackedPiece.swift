/// A run of one item's ids inside a request; which ids exactly is decided when the plan is materialised.
struct PackedPiece: Sendable, Hashable {
    var item: Int
    var size: Int
}
