#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One cell (CSV) or value (NDJSON) a row offers for a role, as raw bytes valid only during the call.
enum FieldValue {
    /// The column or key is not in this row.
    case absent
    /// JSON `null`.
    case null
    /// Text: a CSV cell or an unescaped JSON string (not yet checked for UTF-8).
    case text(UnsafeRawBufferPointer)
    /// A JSON number, as its literal text.
    case number(UnsafeRawBufferPointer)
    /// A JSON value that cannot serve (an object, array or boolean), or a string that is not valid
    /// Unicode (an unpaired surrogate escape); the string says which.
    case unusable(String)
    /// An instant in nanoseconds since the epoch, from a typed column (a Parquet timestamp): judged as
    /// its text would be (`instantText`), without writing and parsing it.
    case instant(Int64)

    /// The text a typed instant stands for: epoch nanoseconds from 1e17 on (the parser's nanosecond
    /// range), RFC 3339 below; either reads back to the same instant.
    static func instantText(_ nanos: Int64) -> String {
        nanos >= 100_000_000_000_000_000 ? String(nanos) : Timestamp(nanosecondsSinceEpoch: nanos).rfc3339
    }

    /// Empty text counts as missing, the way pandas writes a missing value to CSV.
    var isMissing: Bool {
        switch self {
        case .absent, .null: true
        case .text(let b): b.isEmpty
        default: false
        }
    }
}

/// Turns a row's id, time and scope values into a record or a reason to reject the row. Shared by
/// the CSV and NDJSON readers so that both judge rows alike.
///
/// Ids are opaque: kept as given, inner spaces and emoji included, except that ASCII spaces and tabs
/// around an id (or a scope cell) are trimmed, as libcsv trims them around unquoted CSV fields; the
/// same rule holds for quoted fields and NDJSON. An id is rejected when it is missing or empty, not
/// valid UTF-8, holds a control character (C0, DEL or C1: U+0000..U+001F, U+007F..U+009F), starts or
/// ends with other (Unicode) whitespace, or is longer than `maxIDBytes`. A scope cell (project, dataset,
/// version) is held to the same rules; an empty or blank one means the row has none of its own.
final class RecordBuilder {
    static let maxIDBytes = 4096

    let mapping: ColumnMapping
    let options: ReadOptions
    /// The last few distinct scope cells and their checked text: exports interleave a few projects.
    /// Read on every row by one reader's thread alone: no exclusivity check is needed.
    /// Each with a serial number of its own, by which run entries name their project.
    @exclusivity(unchecked) private var recentScopes: [(bytes: [UInt8], text: String, serial: Int)] = []
    @exclusivity(unchecked) private var nextScopeSerial = 1
    private static let recentScopeLimit = 8
    /// Makes the rows' values for the selection stage.
    let selectionCache = SelectionValueCache()

    // What every row asks, held apart from `mapping` and `options`: reading a String or a dictionary
    // out of them costs a retain and a release a row.
    private let kind: RecordKind
    private let readsTime: Bool
    private let hasFixedWindow: Bool
    private let hasRefusals: Bool
    /// Whether rows become run entries (`ReadOptions.recordRuns`): without a selection or refusals, for
    /// project records without a version column, for examples without scope or version columns.
    private let makesRuns: Bool
    private let hasScopeColumn: Bool
    /// The scope the flags give rows without their own (`--project-id`, `--dataset-id` ...), if any.
    private var flagScope: Scope?

    init(mapping: ColumnMapping, options: ReadOptions) {
        self.mapping = mapping
        self.options = options
        kind = mapping.kind
        readsTime = mapping.kind.isProjectKind && mapping.timeColumn != nil
        hasFixedWindow = options.fixedWindow != nil
        hasRefusals = options.refusedByServer != nil
        hasScopeColumn = mapping.scopeColumn != nil
        makesRuns =
            options.recordRuns && options.selectionColumns.isEmpty && !hasRefusals && mapping.versionColumn == nil
            && (mapping.kind.isProjectKind || mapping.scopeColumn == nil)
        if case .ok(let scope) = scopeFor(scope: .absent, version: .absent) { flagScope = scope }
    }

    enum Outcome {
        case record(RecordRef)
        case rejected(RejectReason)
        /// A record for a run (`RecordRunCollector`): its 16-hex id and time in the planner's terms, and
        /// its scope by a number that `runScope(_:)` turns into the scope.
        case entry(RecordRun.Entry, scope: Int)
    }

    /// A new collector of this builder's run entries, or nil when it makes none.
    func runCollector() -> RecordRunCollector? {
        makesRuns ? RecordRunCollector(kind: kind) : nil
    }

    /// The scope an entry `build` has just made names.
    func runScope(_ serial: Int) -> Scope {
        if serial == 0 { return flagScope! }
        let text = recentScopes.first { $0.serial == serial }!.text
        return .project(id: text)
    }

    @inline(__always)
    func build(id: FieldValue, time: FieldValue, scope: FieldValue, version: FieldValue, origin: RowOrigin)
        -> Outcome
    {
        let recordID: RecordID
        switch id {
        case .absent, .null:
            return .rejected(.missingID)
        case .text(let bytes), .number(let bytes):
            if let value = Self.hex64(Self.trimmed(bytes)) {
                if makesRuns, let scopeSerial = runScopeSerial(scope), let entryTime = runTime(time) {
                    return .entry(RecordRun.Entry(id: value, time: entryTime), scope: scopeSerial)
                }
                recordID = .hex64(value)
                break
            }
            switch Self.makeID(bytes, column: mapping.idColumn) {
            case .ok(let value): recordID = value
            case .bad(let reason): return .rejected(reason)
            }
        case .unusable(let what):
            return .rejected(.invalidValue("the id in \(mapping.idColumn.debugDescription) is \(what)"))
        case .instant:
            return .rejected(.invalidValue("the id in \(mapping.idColumn.debugDescription) is a timestamp"))
        }

        let recordScope: Scope
        switch scopeFor(scope: scope, version: version) {
        case .ok(let value): recordScope = value
        case .bad(let reason): return .rejected(reason)
        }

        var timestamp: Timestamp?
        if readsTime {
            switch time {
            case .absent, .null:
                if !hasFixedWindow { return .rejected(.missingTimestamp) }
            case .text(let bytes), .number(let bytes):
                if bytes.isEmpty {
                    if !hasFixedWindow { return .rejected(.missingTimestamp) }
                } else {
                    switch TimestampParser.parse(bytes) {
                    case .valid(let t): timestamp = t
                    case .unreadable: return .rejected(.unreadableTimestamp(Self.preview(bytes)))
                    case .outOfRange: return .rejected(.timestampOutOfRange(Self.preview(bytes)))
                    }
                }
            case .instant(let nanos):
                let t = Timestamp(nanosecondsSinceEpoch: nanos)
                guard t.isAccepted else { return .rejected(.timestampOutOfRange(FieldValue.instantText(nanos))) }
                timestamp = t
            case .unusable(let what):
                return .rejected(.unreadableTimestamp("\(mapping.timeColumn ?? "time") is \(what)"))
            }
        }
        if hasRefusals, let answer = options.refusedByServer?[kind, recordID.text] {
            return .rejected(.server(status: answer.status, detail: answer.detail))
        }
        return .record(RecordRef(kind: kind, id: recordID, scope: recordScope, timestamp: timestamp, origin: origin))
    }

    /// The serial of a run entry's scope: 0 for the flags' scope, a project cell's among the recent
    /// ones; nil when `build` must judge the cell (new, or unusable) or the row has no scope.
    @inline(__always)
    private func runScopeSerial(_ scope: FieldValue) -> Int? {
        if hasScopeColumn {
            switch scope {
            case .text(let bytes), .number(let bytes):
                if !Self.trimmed(bytes).isEmpty {
                    for k in recentScopes.indices where Self.same(bytes, recentScopes[k].bytes) {
                        return recentScopes[k].serial
                    }
                    return nil
                }
            case .absent, .null:
                break
            case .unusable, .instant:
                return nil
            }
        }
        return flagScope == nil ? nil : 0
    }

    /// The time of a run entry: what `build` makes of `time`, as the planner keeps it, or nil when
    /// `build` would reject the row (it then judges it and says why).
    @inline(__always)
    private func runTime(_ time: FieldValue) -> Int64? {
        guard readsTime else { return RecordRun.untimed }
        switch time {
        case .absent, .null:
            return hasFixedWindow ? RecordRun.untimed : nil
        case .text(let bytes), .number(let bytes):
            if bytes.isEmpty { return hasFixedWindow ? RecordRun.untimed : nil }
            guard case .valid(let t) = TimestampParser.parse(bytes) else { return nil }
            return t.nanosecondsSinceEpoch
        case .instant(let nanos):
            return Timestamp(nanosecondsSinceEpoch: nanos).isAccepted ? nanos : nil
        case .unusable:
            return nil
        }
    }

    private func scopeFor(scope: FieldValue, version: FieldValue) -> Checked<Scope> {
        var own: String?
        switch scope {
        case .text(let bytes), .number(let bytes):
            if !Self.trimmed(bytes).isEmpty {
                if let k = recentScopes.firstIndex(where: { Self.same(bytes, $0.bytes) }) {
                    own = recentScopes[k].text
                } else {
                    let text: String
                    switch Self.scopeText(bytes, column: mapping.scopeColumn ?? "scope") {
                    case .ok(let value): text = value
                    case .bad(let reason): return .bad(reason)
                    }
                    if recentScopes.count == Self.recentScopeLimit { recentScopes.removeFirst() }
                    recentScopes.append((Array(bytes), text, nextScopeSerial))
                    nextScopeSerial += 1
                    own = text
                }
            }
        case .unusable(let what):
            return .bad(.invalidValue("\(mapping.scopeColumn ?? "scope") is \(what)"))
        case .instant:
            return .bad(.invalidValue("\(mapping.scopeColumn ?? "scope") is a timestamp"))
        case .absent, .null:
            break
        }
        if kind.isProjectKind {
            guard let project = own ?? options.projectID else {
                return .bad(.missingScope("the row has no project_id and no --project-id was given"))
            }
            return .ok(.project(id: project))
        }
        guard let dataset = own ?? options.datasetID else {
            return .bad(.missingScope("the row has no dataset_id and no --dataset-id was given"))
        }
        var versionID: String?
        switch version {
        case .text(let bytes), .number(let bytes):
            if !Self.trimmed(bytes).isEmpty {
                switch Self.scopeText(bytes, column: mapping.versionColumn ?? "dataset_version_id") {
                case .ok(let value): versionID = value
                case .bad(let reason): return .bad(reason)
                }
            }
        case .unusable(let what):
            return .bad(.invalidValue("dataset_version_id is \(what)"))
        case .instant:
            return .bad(.invalidValue("dataset_version_id is a timestamp"))
        case .absent, .null:
            break
        }
        // The --dataset-version-id belongs to the --dataset-id: a row naming another dataset does not
        // inherit it.
        if versionID == nil, let flagDataset = options.datasetID, ExactText.equal(dataset, flagDataset) {
            versionID = options.datasetVersionID
        }
        return .ok(.dataset(id: dataset, versionID: versionID))
    }

    @inline(__always)
    static func same(_ bytes: UnsafeRawBufferPointer, _ saved: [UInt8]) -> Bool {
        guard bytes.count == saved.count else { return false }
        guard let base = bytes.baseAddress else { return true }
        return saved.withUnsafeBytes { memcmp(base, $0.baseAddress!, bytes.count) == 0 }
    }

    enum Checked<Value> {
        case ok(Value)
        case bad(RejectReason)
    }

    /// Without the ASCII spaces and tabs around it.
    @inline(__always)
    static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        if start == 0 && end == bytes.count { return bytes }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    /// Sixteen lowercase hex digits as an integer (`RecordID.hex64`), else nil.
    @inline(__always)
    static func hex64(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
        Hex.sixteenDigits(bytes)
    }

    @inline(__always)
    static func makeID(_ raw: UnsafeRawBufferPointer, column: String) -> Checked<RecordID> {
        let bytes = trimmed(raw)
        if let value = hex64(bytes) { return .ok(.hex64(value)) }
        if bytes.isEmpty { return .bad(.missingID) }
        if bytes.count > maxIDBytes {
            return .bad(
                .invalidValue(
                    "the id in \(column.debugDescription) is \(bytes.count) bytes long (at most \(maxIDBytes))"))
        }
        switch opaqueText(bytes) {
        case .ok(let text): return .ok(.text(text))
        case .bad(let problem): return .bad(.invalidValue("the id in \(column.debugDescription) \(problem)"))
        }
    }

    /// A scope cell's text, trimmed, held to the rules of ids.
    static func scopeText(_ raw: UnsafeRawBufferPointer, column: String) -> Checked<String> {
        let bytes = trimmed(raw)
        if bytes.count > maxIDBytes {
            return .bad(.invalidValue("\(column) is \(bytes.count) bytes long (at most \(maxIDBytes))"))
        }
        switch opaqueText(bytes) {
        case .ok(let text): return .ok(text)
        case .bad(let problem): return .bad(.invalidValue("\(column) \(problem)"))
        }
    }

    enum TextCheck {
        case ok(String)
        /// What is wrong, to follow "the id in X" or a column name: "holds a control character".
        case bad(String)
    }

    /// The rules every opaque value (an id, a scope) obeys, whatever reader it came from: valid UTF-8,
    /// no control character, no whitespace at either end. `bytes` is already trimmed of ASCII blanks.
    static func opaqueText(_ bytes: UnsafeRawBufferPointer) -> TextCheck {
        if hasControlCharacter(bytes) { return .bad("holds a control character") }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .bad("is not valid UTF-8") }
        // Printable ASCII other than the space is never whitespace: only other ends need Unicode's look.
        if let first = bytes.first, let last = bytes.last, (0x21..<0x80).contains(first), (0x21..<0x80).contains(last) {
            return .ok(text)
        }
        if let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
            first.properties.isWhitespace || last.properties.isWhitespace
        {
            return .bad("starts or ends with whitespace")
        }
        return .ok(text)
    }

    /// C0 controls, DEL, and C1 controls (U+0080..U+009F, in UTF-8 0xC2 followed by 0x80..0x9F; 0xC2
    /// is only ever a lead byte, so in text that is valid otherwise this is exact).
    @inline(__always)
    static func hasControlCharacter(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var previous: UInt8 = 0
        for byte in bytes {
            if byte < 0x20 || byte == 0x7F || (previous == 0xC2 && byte >= 0x80 && byte <= 0x9F) { return true }
            previous = byte
        }
        return false
    }

    /// The problem with a scope given as a flag (`--project-id` and the like), or nil: flags obey the
    /// rules of scope cells, and an empty or blank one is refused (it would be sent as given).
    static func scopeFlagProblem(_ value: String) -> String? {
        if value.allSatisfy({ $0 == " " || $0 == "\t" }) { return "is empty" }
        var copy = value
        return copy.withUTF8 { utf8 -> String? in
            let bytes = UnsafeRawBufferPointer(utf8)
            if bytes.count > maxIDBytes { return "is \(bytes.count) bytes long (at most \(maxIDBytes))" }
            if case .bad(let problem) = opaqueText(bytes) { return problem }
            return nil
        }
    }

    /// A value for the selection stage: the text (without the ASCII spaces and tabs around it) or a
    /// number's literal; nil when missing or empty, and for what is neither (a JSON boolean, object,
    /// array or NaN), so that every format reads the same rows alike.
    static func selectionText(_ value: FieldValue) -> String? {
        switch value {
        case .text(let bytes), .number(let bytes):
            let text = trimmed(bytes)
            return text.isEmpty ? nil : String(decoding: text, as: UTF8.self)
        case .instant(let nanos):
            return FieldValue.instantText(nanos)
        default:
            return nil
        }
    }

    /// The record with its values of the selection's columns, when there are any.
    @inline(__always)
    static func withSelection(_ outcome: Outcome, _ values: () -> [String?]) -> Outcome {
        guard case .record(var record) = outcome else { return outcome }
        record.selectedValues = values()
        return .record(record)
    }

    /// A cell's text for a message, repaired and cut short.
    static func preview(_ bytes: UnsafeRawBufferPointer) -> String {
        let cut = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, 100)])
        let text = String(decoding: cut, as: UTF8.self)
        return bytes.count > 100 ? text + "…" : text
    }
}
