/// The two export formats aq-import reads.
public enum InputFormat: String, Sendable, Hashable, CaseIterable, Codable {
    case csv
    case ndjson
    /// One top-level JSON array of objects (`.json`; a `.json` file holding NDJSON is read as NDJSON).
    case json
    /// Apache Parquet (`.parquet`, `.pq`, or a file starting with `PAR1`), read by column projection.
    case parquet
}

extension InputFormat {
    /// The format rejected rows are written in: CSV rows as CSV, everything else as NDJSON lines.
    public var rejectsFormat: InputFormat { self == .csv ? .csv : .ndjson }
}

/// What the user told us about the inputs: everything that shapes how rows become records.
public struct ReadOptions: Sendable, Hashable {
    /// `--kind`; `nil` infers the kind from each file's columns.
    public var kind: RecordKind?
    /// `--format`; `nil` takes it from the extension (required for stdin).
    public var format: InputFormat?
    /// `--id-column` and `--time-column`: override column detection.
    public var idColumn: String?
    public var timeColumn: String?
    /// `--project-id`, `--dataset-id`, `--dataset-version-id`: the scope of rows without their own.
    public var projectID: String?
    public var datasetID: String?
    public var datasetVersionID: String?
    /// `--start`/`--end`: the window for files without a time column.
    public var fixedWindow: TimeWindow?
    /// Compute each input's SHA-256 while reading it (the journal needs it; a dry run does not).
    public var computeSHA256: Bool
    /// The most bytes one row may take, checked by every reader as the row's bytes arrive.
    public var rowSizeLimit = RowSizeLimit.standard
    /// Ids the server refused, by kind and exact id: a second reading after delivery turns their rows into
    /// rejections carrying the server's answer, so that they reach the rejects file in the input's format.
    public var refusedByServer: ServerRefusals?
    /// The columns a selection names (`Selector.columns`): each record carries their values, in this
    /// order, as `RecordRef.selectedValues`. Empty (no selection): nothing more is read or kept.
    public var selectionColumns: [String] = []
    /// Hand records whose ids are 16 hex digits and whose scope is the flags' as `ReadEvent.records`
    /// runs (the planner's fast path). Off with a selection, scope columns or server refusals: those
    /// rows come one `RecordRef` at a time, as they do when this is off.
    public var recordRuns = false

    public init(
        kind: RecordKind? = nil, format: InputFormat? = nil, idColumn: String? = nil, timeColumn: String? = nil,
        projectID: String? = nil, datasetID: String? = nil, datasetVersionID: String? = nil,
        fixedWindow: TimeWindow? = nil, computeSHA256: Bool = false
    ) {
        self.kind = kind
        self.format = format
        self.idColumn = idColumn
        self.timeColumn = timeColumn
        self.projectID = projectID
        self.datasetID = datasetID
        self.datasetVersionID = datasetVersionID
        self.fixedWindow = fixedWindow
        self.computeSHA256 = computeSHA256
    }
}
