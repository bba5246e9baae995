/// One entry of a request's `record_sources`: ids of one kind in one scope, with the time window the
/// server searches them in (project kinds only).
public struct RecordSource: Sendable, Hashable {
    public var kind: RecordKind
    public var scope: Scope
    public var window: TimeWindow?
    public var ids: [RecordID]

    public init(kind: RecordKind, scope: Scope, window: TimeWindow?, ids: [RecordID]) {
        self.kind = kind
        self.scope = scope
        self.window = window
        self.ids = ids
    }
}
