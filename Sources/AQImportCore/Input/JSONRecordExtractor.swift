/// Turns a scanned JSON object (an NDJSON line or a JSON array's element) into a record or a reason to
/// reject it: shared by the NDJSON and JSON array readers so that both judge objects alike.
///
/// Writers drop null keys (`ax` exports with `exclude_none`) and mix spellings, so every candidate
/// name of the detected kind is accepted per object, first candidate first: a file may give
/// `context.span_id` in one object and `span_id` in the next. A name given with `--id-column` or
/// `--time-column` is the only one looked at. A key in use that an object holds twice (literally, or as
/// `context.span_id` beside `{"context": {"span_id": ...}}`) rejects the object.
final class JSONRecordExtractor {
    /// Column detection looks at this many objects at most (and stops at `detectionBytes`).
    static let detectionObjects = 1000
    static let detectionBytes = 32 << 20

    let targets: [[UInt8]]
    /// The names looked at for the id and the time, in order, and how many objects used each.
    let idNames: [String]
    let timeNames: [String]
    /// Counted on every object by the reading thread alone: no exclusivity check is needed.
    @exclusivity(unchecked) private(set) var idNameCounts: [Int]
    @exclusivity(unchecked) private(set) var timeNameCounts: [Int]
    let builder: RecordBuilder
    private let idTargets: Range<Int>
    private let timeTargets: Range<Int>
    private let scopeTarget: Int
    private let versionTarget: Int
    /// The targets of `ReadOptions.selectionColumns`, in that order.
    private let selectionTargets: [Int]

    init(mapping: ColumnMapping, options: ReadOptions) {
        builder = RecordBuilder(mapping: mapping, options: options)
        func alternatives(_ chosen: String, given: String?, candidates: [String]) -> [String] {
            guard given == nil, candidates.contains(chosen) else { return [chosen] }
            return [chosen] + candidates.filter { $0 != chosen }
        }
        let kindCandidates = ColumnMapping.idCandidates.first { $0.0 == mapping.kind }?.1 ?? []
        idNames = alternatives(mapping.idColumn, given: options.idColumn, candidates: kindCandidates)
        if let time = mapping.timeColumn {
            timeNames = alternatives(time, given: options.timeColumn, candidates: ColumnMapping.timeCandidates)
        } else {
            timeNames = []
        }
        var names = idNames + timeNames
        idTargets = 0..<idNames.count
        timeTargets = idNames.count..<names.count
        scopeTarget = mapping.scopeColumn == nil ? -1 : names.count
        if let scope = mapping.scopeColumn { names.append(scope) }
        versionTarget = mapping.versionColumn == nil ? -1 : names.count
        if let version = mapping.versionColumn { names.append(version) }
        var selection: [Int] = []
        for column in options.selectionColumns {
            if let i = names.firstIndex(of: column) {
                selection.append(i)
            } else {
                selection.append(names.count)
                names.append(column)
            }
        }
        selectionTargets = selection
        targets = names.map { Array($0.utf8) }
        idNameCounts = Array(repeating: 0, count: idNames.count)
        timeNameCounts = Array(repeating: 0, count: timeNames.count)
    }

    func makeScanner(endName: String) -> JSONLineScanner {
        var scanner = JSONLineScanner(targets: targets)
        scanner.endName = endName
        return scanner
    }

    /// The outcome of the object `scanner` has just scanned.
    func outcome(of scanner: JSONLineScanner, origin: RowOrigin) -> RecordBuilder.Outcome {
        if scanner.duplicateTarget >= 0 {
            let key = String(decoding: targets[scanner.duplicateTarget], as: UTF8.self)
            return .rejected(.invalidValue("duplicate key `\(key)`"))
        }
        return scanner.arena.withUnsafeBytes { arena in
            func value(_ t: Int) -> FieldValue {
                guard t >= 0 else { return .absent }
                switch scanner.found[t] {
                case .absent: return .absent
                case .null: return .null
                case .string: return .text(UnsafeRawBufferPointer(rebasing: arena[scanner.ranges[t]]))
                case .number: return .number(UnsafeRawBufferPointer(rebasing: arena[scanner.ranges[t]]))
                case .unusable(let what): return .unusable(what)
                }
            }
            /// The first of `range` the object holds, counted; the first name's absence otherwise.
            func first(_ range: Range<Int>, _ counts: inout [Int]) -> FieldValue {
                for t in range {
                    if case .absent = scanner.found[t] { continue }
                    counts[t - range.lowerBound] += 1
                    return value(t)
                }
                return .absent
            }
            let id = first(idTargets, &idNameCounts)
            let time = timeTargets.isEmpty ? FieldValue.absent : first(timeTargets, &timeNameCounts)
            let outcome = builder.build(
                id: id, time: time, scope: value(scopeTarget), version: value(versionTarget), origin: origin)
            if selectionTargets.isEmpty { return outcome }
            return RecordBuilder.withSelection(outcome) {
                builder.selectionCache.values(count: selectionTargets.count) { value(selectionTargets[$0]) }
            }
        }
    }

    /// Which names gave the ids and times, for the summary: `context.span_id` alone, or
    /// `context.span_id (998), span_id (2)` when objects used more than one.
    var idNamesUsed: String { Self.describe(idNames, idNameCounts) }
    var timeNamesUsed: String? { timeNames.isEmpty ? nil : Self.describe(timeNames, timeNameCounts) }

    private static func describe(_ names: [String], _ counts: [Int]) -> String {
        let used = zip(names, counts).filter { $0.1 > 0 }
        guard used.count > 1 else { return used.first?.0 ?? names[0] }
        return used.map { "\($0.0) (\($0.1))" }.joined(separator: ", ")
    }
}
