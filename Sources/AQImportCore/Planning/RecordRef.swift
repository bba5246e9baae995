/// Where a row came from: the input's index in the run and the line the row starts on (1-based;
/// a quoted CSV field may carry the row over several physical lines).
public struct RowOrigin: Sendable, Hashable {
    public var fileIndex: Int
    public var line: Int

    public init(fileIndex: Int, line: Int) {
        self.fileIndex = fileIndex
        self.line = line
    }
}

/// One valid record read from an export: what the planner packs. Rows and their other columns are
/// never kept.
public struct RecordRef: Sendable, Hashable {
    public var kind: RecordKind
    public var id: RecordID
    public var scope: Scope
    /// The record's time, for project kinds. `nil` when the file has no time column and the run gave
    /// a fixed window (`--start`/`--end`), or for examples.
    public var timestamp: Timestamp?
    public var origin: RowOrigin
    /// The row's values of `ReadOptions.selectionColumns` (nil where missing), for the selection stage;
    /// empty without a selection.
    public var selectedValues: [String?] = []

    public init(kind: RecordKind, id: RecordID, scope: Scope, timestamp: Timestamp?, origin: RowOrigin) {
        self.kind = kind
        self.id = id
        self.scope = scope
        self.timestamp = timestamp
        self.origin = origin
    }
}
