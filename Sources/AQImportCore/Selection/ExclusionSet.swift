/// The units other queues already hold, by kind: filled from the queue-records listings of every
/// `--exclude-queue`, which name their source ids (`context.span_id`, `context.trace_id`,
/// `attributes.session.id`, an example's `id`) but not their project, so ids match across scopes.
public struct ExclusionSet: Sendable, Hashable {
    private var held: [RecordKind: Set<RecordID>] = [:]

    public init() {}

    public mutating func insert(kind: RecordKind, id: String) {
        held[kind, default: []].insert(RecordID(id))
    }

    public func contains(kind: RecordKind, id: RecordID) -> Bool {
        held[kind]?.contains(id) ?? false
    }

    /// Every held (kind, id), sorted (ids by their bytes, so the snapshot is the same on every run).
    public var entries: [(RecordKind, String)] {
        held.keys.sorted().flatMap { kind in held[kind]!.map(\.text).sorted(by: ExactText.less).map { (kind, $0) } }
    }

    public var count: Int { held.values.reduce(0) { $0 + $1.count } }
    public var isEmpty: Bool { count == 0 }
}
