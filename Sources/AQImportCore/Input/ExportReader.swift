/// Reads one export (a CSV, NDJSON or JSON array file, gzipped or not, or stdin) and turns each row
/// into a record or a rejection, streaming, with bounded memory.
///
/// Opening does the file-level work: it picks the format, reads the header (CSV) or the first objects
/// (NDJSON, JSON arrays), finds the columns and the kind, and throws an `InputError` when the file
/// cannot be used at all. `read` then streams the rows.
public struct ExportReader {
    private enum Backend {
        case csv(CSVReader)
        case ndjson(NDJSONReader)
        case jsonArray(JSONArrayReader)
        case parquet(ParquetReader)
    }

    public let format: InputFormat
    public let kind: RecordKind
    public let kindWasInferred: Bool
    /// The header's names (CSV) or the first objects' flattened keys (NDJSON, JSON arrays).
    public let columns: [String]
    public let idColumn: String
    public let timeColumn: String?
    /// The `project_id` or `dataset_id` column giving rows their own scope, when the file has one.
    public let scopeColumn: String?
    /// How the file is named in messages and rejections (`<stdin>` for `-`).
    public let displayName: String
    /// After `read`, for JSON inputs: the keys that gave the ids and times (`context.span_id`, or
    /// `context.span_id (998), span_id (2)` when objects used several).
    public private(set) var keysUsed: (id: String, time: String?)?
    private let backend: Backend
    private let tally: TallyingByteSource
    private var finished = false

    /// `path` `-` means stdin. The format comes from `options.format`, else the extension (`.csv`,
    /// `.ndjson`, `.jsonl`, `.json`, each optionally followed by `.gz`). Gzip is recognised by its
    /// magic bytes.
    public init(path: String, fileIndex: Int, options: ReadOptions) throws {
        let name = path == "-" ? "<stdin>" : path
        let format = try Self.format(of: path, name: name, options: options)
        let file: ByteSource =
            format == .parquet
            ? ParquetFileByteSource(try ParquetInputOpener.open(path: path, name: name))
            : try FileByteSource(path: path)
        try self.init(
            source: file, name: name, fileIndex: fileIndex, format: format, options: options,
            expectGzip: path.lowercased().hasSuffix(".gz"))
    }

    /// Reads from any byte source: tests hand over memory in chunks of their choosing.
    init(
        source raw: ByteSource, name: String, fileIndex: Int, format: InputFormat, options: ReadOptions,
        expectGzip: Bool = false
    ) throws {
        let tally = TallyingByteSource(raw, computeSHA256: options.computeSHA256)
        var magic = [UInt8](repeating: 0, count: 2)
        let sniffed = try magic.withUnsafeMutableBytes { try tally.readFully(into: $0) }
        magic.removeLast(2 - sniffed)
        let prefixed = PrefixedByteSource(prefix: magic, base: tally)
        let source: ByteSource
        if magic == [0x1F, 0x8B] {
            source = try GzipByteSource(prefixed, name: name)
        } else if expectGzip {
            throw InputError(file: name, line: nil, message: "named .gz but is not gzip data")
        } else {
            source = prefixed
        }

        /// The mapping of a header (or first object), errors naming the line it stands on.
        func resolve(_ columns: [String], line: Int) throws -> ColumnMapping {
            do {
                return try ColumnMapping.resolve(columns: columns, options: options, file: name)
            } catch var error as InputError {
                error.line = line
                throw error
            }
        }
        let columns: [String]
        let mapping: ColumnMapping
        switch format {
        case .csv:
            let reader = CSVReader(source: source, name: name, fileIndex: fileIndex, rowLimit: options.rowSizeLimit)
            columns = try reader.readHeader()
            mapping = try resolve(columns, line: reader.headerLine)
            reader.configure(mapping: mapping, options: options)
            backend = .csv(reader)
        case .ndjson:
            let reader = NDJSONReader(source: source, name: name, fileIndex: fileIndex, rowLimit: options.rowSizeLimit)
            columns = try reader.readColumns()
            mapping = try resolve(columns, line: reader.firstObjectLine)
            reader.configure(mapping: mapping, options: options)
            backend = .ndjson(reader)
        case .json:
            // A `.json` file may hold NDJSON (`to_json(lines=True)` named .json): its first non-blank
            // byte tells.
            let (holdsNDJSON, json) = try JSONArrayReader.sniff(source)
            if holdsNDJSON {
                let reader = NDJSONReader(
                    source: json, name: name, fileIndex: fileIndex, rowLimit: options.rowSizeLimit)
                columns = try reader.readColumns()
                mapping = try resolve(columns, line: reader.firstObjectLine)
                reader.configure(mapping: mapping, options: options)
                backend = .ndjson(reader)
            } else {
                let reader = JSONArrayReader(
                    source: json, name: name, fileIndex: fileIndex, rowLimit: options.rowSizeLimit)
                columns = try reader.readColumns()
                mapping = try resolve(columns, line: reader.firstObjectLine)
                reader.configure(mapping: mapping, options: options)
                backend = .jsonArray(reader)
            }
        case .parquet:
            let reader = try ParquetReader(
                input: ParquetInputOpener.input(from: raw, sniffed: source, name: name), name: name,
                fileIndex: fileIndex)
            columns = reader.columns
            mapping = try ColumnMapping.resolve(
                columns: columns, options: options, file: name, described: reader.describedColumns)
            try reader.configure(mapping: mapping, options: options)
            backend = .parquet(reader)
        }
        self.format = if case .ndjson = backend { .ndjson } else { format }
        self.kind = mapping.kind
        self.kindWasInferred = mapping.kindWasInferred
        self.columns = columns
        self.idColumn = mapping.idColumn
        self.timeColumn = mapping.timeColumn
        self.scopeColumn = mapping.scopeColumn
        self.displayName = name
        self.tally = tally
    }

    /// Streams every row to `handle`, in file order. Structural errors throw an `InputError` naming
    /// the file and line; an error thrown by `handle` stops the reading and is rethrown.
    /// Hands every event to `handle`; `ahead` sees each one a few events earlier, in place
    /// (`EventPipeline.run`).
    public mutating func read(
        _ handle: (ReadEvent) throws -> Void, ahead: (UnsafePointer<ReadEvent>) -> Void = { _ in }
    ) throws -> FileReadStats {
        precondition(!finished, "an ExportReader reads its input once")
        finished = true
        var stats: FileReadStats
        switch backend {
        case .csv(let reader):
            try EventPipeline.run({ try reader.read($0) }, handle: handle, ahead: ahead)
            stats = reader.stats
        case .ndjson(let reader):
            try EventPipeline.run({ try reader.read($0) }, handle: handle, ahead: ahead)
            stats = reader.stats
            keysUsed = reader.extractor.map { ($0.idNamesUsed, $0.timeNamesUsed) }
        case .jsonArray(let reader):
            try EventPipeline.run({ try reader.read($0) }, handle: handle, ahead: ahead)
            stats = reader.stats
            keysUsed = reader.extractor.map { ($0.idNamesUsed, $0.timeNamesUsed) }
        case .parquet(let reader):
            // Its own counts: the file's size, and the bytes it read (a fraction of the file).
            try EventPipeline.run({ try reader.read($0) }, handle: handle, ahead: ahead)
            return reader.stats
        }
        stats.bytes = tally.byteCount
        stats.sha256Hex = tally.finishHash()
        return stats
    }

    static func format(of path: String, name: String, options: ReadOptions) throws -> InputFormat {
        if let format = options.format { return format }
        if path == "-" {
            throw InputError(file: name, message: "reading stdin needs --format csv|ndjson|json|parquet")
        }
        var lower = path.lowercased()
        if lower.hasSuffix(".gz") { lower.removeLast(3) }
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".ndjson") || lower.hasSuffix(".jsonl") { return .ndjson }
        if lower.hasSuffix(".json") { return .json }
        if lower.hasSuffix(".parquet") || lower.hasSuffix(".pq") || ParquetInputOpener.hasMagic(path: path) {
            return .parquet
        }
        throw InputError(
            file: name,
            message:
                "cannot tell the format from the name: expected .csv, .ndjson, .jsonl or .json (optionally .gz), .parquet or .pq, or give --format csv|ndjson|json|parquet"
        )
    }
}
