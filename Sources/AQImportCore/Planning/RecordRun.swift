/// Valid records of one kind and scope whose ids are 16 hex digits, read one after another: what a
/// reader hands the planner instead of a `RecordRef` each when `ReadOptions.recordRuns` asks for it
/// (runs carry no row numbers and no selection values), so that the common row costs neither an event
/// nor a copy of its scope.
public struct RecordRun: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var id: UInt64
        /// Nanoseconds since the epoch, or `RecordRun.untimed` for a record without a time.
        public var time: Int64

        public init(id: UInt64, time: Int64) {
            self.id = id
            self.time = time
        }

        /// The time as a `RecordRef` carries it.
        public var timestamp: Timestamp? {
            time == RecordRun.untimed ? nil : Timestamp(nanosecondsSinceEpoch: time)
        }
    }

    /// Stands for "no time" (no accepted timestamp is this late).
    public static let untimed = RecordGroup.untimed

    public var kind: RecordKind
    public var scope: Scope
    public var entries: [Entry]

    public init(kind: RecordKind, scope: Scope, entries: [Entry]) {
        self.kind = kind
        self.scope = scope
        self.entries = entries
    }
}
