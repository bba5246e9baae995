import CLibCSV

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads an RFC 4180 CSV export through libcsv (the only file that touches it), in 64 KiB chunks.
///
/// The input is fed to libcsv one physical line at a time (split with `memchr`), so the reader knows
/// the line each row starts on: physical lines are not rows, since quoted fields hold newlines. Line
/// numbers count LF; a file ending its lines with a bare CR reports every row on line 1.
/// Only the cells a record needs (id, time, scope) are copied out of libcsv, into one reused buffer;
/// the other fields are only counted. The row's raw bytes stay where they are in the chunk (copied
/// aside only when a row runs past a chunk's end), so a rejected row is given back whole by parsing
/// those bytes again.
///
/// Memory per row is bounded whatever the input: the row's bytes are counted as they are fed to libcsv
/// and the row is refused before it passes `rowLimit`; a cell the record needs is copied only up to
/// `maxNeededCellBytes` (no id, time or scope is valid longer), and a row's raw bytes are kept aside
/// only up to `maxKeptRowBytes`.
final class CSVReader {
    static let chunkSize = 65_536
    /// The longest id, time or scope cell copied out of libcsv; a longer one is judged by its length.
    static let maxNeededCellBytes = 65_536
    /// A rejected row longer than this is given back with only the cells a record needs (its id, time
    /// and scope), the others empty: keeping its raw bytes too would double the memory a long row takes.
    static let maxKeptRowBytes = RowSizeLimit.maxKeptRejectedBytes

    let name: String
    let fileIndex: Int
    let rowLimit: RowSizeLimit
    private let source: ByteSource
    private let parser: UnsafeMutablePointer<csv_parser>
    private let row: UnsafeMutablePointer<CSVRowBuffer>
    private let chunk: UnsafeMutableRawBufferPointer
    private var chunkStart = 0
    private var chunkEnd = 0
    private var started = false
    private var ended = false

    private(set) var header: [String]?
    /// The header's field count; -1 until the header row has ended.
    private var headerCount = -1
    private(set) var headerLine = 1
    /// The physical line of the next byte fed to libcsv.
    private var line = 1
    /// Where the row being parsed started; nil between rows.
    private var rowStartLine: Int?
    /// Where the current row's raw bytes begin in `chunk`, and its earlier bytes from past chunks.
    private var rowRawStart: Int?
    @exclusivity(unchecked) private var rawCarry: [UInt8] = []
    /// The current row's raw bytes passed `maxKeptRowBytes` and were let go.
    private var rawDropped = false
    /// Bytes of the current row fed to libcsv so far.
    private var rowBytes = 0
    private var segmentStart = 0
    private var segmentEnd = 0
    /// Whether bytes after the last LF have been fed (a last line without a newline).
    private var partialLine = false
    /// Where the next CR is in `chunk` (`chunkEnd` when there is none).
    private var nextCR = -1

    private var builder: RecordBuilder? {
        didSet { builderRef = builder.map { Unmanaged.passUnretained($0) } }
    }
    private var builderRef: Unmanaged<RecordBuilder>?
    /// Records on their way as runs (`ReadOptions.recordRuns`). Touched on every row by the reading
    /// thread alone: no exclusivity check is needed.
    @exclusivity(unchecked) private var runs: RecordRunCollector?
    private var idIndex = -1
    private var timeIndex = -1
    private var scopeIndex = -1
    /// The fields of `ReadOptions.selectionColumns` (-1 for a column the header lacks).
    private var selectionIndices: [Int] = []
    private var versionIndex = -1

    /// Rows completed before a handler was attached (only when a bare CR ends the header line).
    private var pendingRows: [(fields: [[UInt8]], line: Int)] = []
    private var handler: ((ReadEvent) throws -> Void)?
    private var failure: Error?
    /// Counted on every row by the reading thread alone: no exclusivity check is needed.
    @exclusivity(unchecked) var stats = FileReadStats()

    init(source: ByteSource, name: String, fileIndex: Int, rowLimit: RowSizeLimit = .standard) {
        self.source = source
        self.name = name
        self.fileIndex = fileIndex
        self.rowLimit = rowLimit
        parser = .allocate(capacity: 1)
        parser.initialize(to: csv_parser())
        csv_init(parser, UInt8(CSV_STRICT | CSV_STRICT_FINI))
        // libcsv grows a field's buffer 128 bytes at a time: with an allocator whose realloc always
        // copies, a 50 MB field would take hours.
        csv_set_blk_size(parser, 1 << 20)
        // libcsv's default space handling stays: an is_space callback (to keep spaces around unquoted
        // fields, as RFC 4180 would) is called per byte and cost a quarter of the throughput.
        row = .allocate(capacity: 1)
        row.initialize(to: CSVRowBuffer())
        chunk = .allocate(byteCount: Self.chunkSize, alignment: 16)
        row.pointee.owner = Unmanaged.passUnretained(self)
        row.pointee.maxBytes = rowLimit.maxBytes
    }

    deinit {
        csv_free(parser)
        parser.deallocate()
        row.pointee.release()
        row.deinitialize(count: 1)
        row.deallocate()
        chunk.deallocate()
    }

    /// Parses up to the end of the header row.
    func readHeader() throws -> [String] {
        while header == nil {
            guard try parseMore() else { break }
        }
        guard let header else {
            throw InputError(file: name, line: line, message: "empty file: expected a header row naming the columns")
        }
        return header
    }

    func configure(mapping: ColumnMapping, options: ReadOptions) {
        guard let header else { return }
        builder = RecordBuilder(mapping: mapping, options: options)
        runs = builder!.runCollector()
        idIndex = header.firstIndex(of: mapping.idColumn) ?? -1
        timeIndex = mapping.timeColumn.flatMap { header.firstIndex(of: $0) } ?? -1
        scopeIndex = mapping.scopeColumn.flatMap { header.firstIndex(of: $0) } ?? -1
        versionIndex = mapping.versionColumn.flatMap { header.firstIndex(of: $0) } ?? -1
        selectionIndices = options.selectionColumns.map { header.firstIndex(of: $0) ?? -1 }
        row.pointee.setNeeded(
            ([idIndex, timeIndex, scopeIndex, versionIndex] + selectionIndices).filter { $0 >= 0 },
            columns: header.count)
    }

    /// The current row's fields, parsed again from its raw bytes (for a rejection).
    private func rawRowFields() -> [String] {
        if rawDropped {
            let buffer = row.pointee
            var fields = [String](repeating: "", count: header?.count ?? 0)
            for i in [idIndex, timeIndex, scopeIndex, versionIndex] where i >= 0 && i < buffer.fieldCount {
                if fields.indices.contains(i) && buffer.oversized[i] == nil {
                    fields[i] = String(decoding: buffer.field(i), as: UTF8.self)
                }
            }
            return fields
        }
        var raw = rawCarry
        if let start = rowRawStart, start < segmentEnd {
            raw.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start..<segmentEnd]))
        } else if rowRawStart == nil, segmentStart < segmentEnd {
            // A row after a bare CR inside one line: its start was not seen; the line is the best guess.
            raw.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[segmentStart..<segmentEnd]))
        }
        return CSVFieldCollector.firstRow(of: raw)
    }

    func read(_ handle: (ReadEvent) throws -> Void) throws {
        try withoutActuallyEscaping(handle) { handle in
            handler = handle
            defer { handler = nil }
            for pending in pendingRows {
                try emitPending(pending.fields, line: pending.line)
            }
            pendingRows = []
            while try parseMore() {}
            try runs?.flush(to: handle)
        }
    }

    // MARK: - Feeding libcsv

    /// Feeds the next physical line (or what the current chunk holds of it). False at the end.
    private func parseMore() throws -> Bool {
        if ended { return false }
        if chunkStart == chunkEnd {
            if let rawStart = rowRawStart {
                if rawDropped || rawCarry.count + (chunkEnd - rawStart) > Self.maxKeptRowBytes {
                    rawDropped = true
                    rawCarry = []
                } else {
                    rawCarry.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[rawStart..<chunkEnd]))
                }
                rowRawStart = 0
            }
            var n = try source.read(into: chunk)
            if !started {
                started = true
                // Enough bytes to see a byte-order mark, however small the source's chunks.
                while n > 0 && n < 3 {
                    let more = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: chunk[n...]))
                    if more == 0 { break }
                    n += more
                }
                if n >= 3, chunk[0] == 0xEF, chunk[1] == 0xBB, chunk[2] == 0xBF {
                    chunkStart = 3
                } else {
                    chunkStart = 0
                }
            } else {
                chunkStart = 0
            }
            chunkEnd = n
            nextCR = -1
            stats.decodedBytes += n
            if n == 0 {
                rowRawStart = rowRawStart == nil ? nil : 0
                segmentStart = 0
                segmentEnd = 0
                try finish()
                return false
            }
        }
        let base = chunk.baseAddress!
        let remaining = chunkEnd - chunkStart
        // A bare CR ends a row too (libcsv says so): a segment stops at a CR as well as at an LF, so
        // that the next row's start is seen and the header is known before any row after it is parsed.
        // The next CR's place is kept per chunk, so that files without one are scanned for it once.
        if nextCR < chunkStart || nextCR > chunkEnd {
            nextCR =
                memchr(base + chunkStart, 0x0D, remaining).map { base.distance(to: UnsafeMutableRawPointer($0)) }
                ?? chunkEnd
        }
        var segmentEnd: Int
        var endsLine: Bool
        if let newline = memchr(base + chunkStart, 0x0A, remaining) {
            segmentEnd = base.distance(to: UnsafeMutableRawPointer(newline)) + 1
            endsLine = true
        } else {
            segmentEnd = chunkEnd
            endsLine = false
        }
        if nextCR < chunkEnd, nextCR + 1 < segmentEnd {
            segmentEnd = nextCR + 1
            endsLine = false
        }
        let length = segmentEnd - chunkStart
        if rowStartLine == nil {
            var i = chunkStart
            while i < segmentEnd {
                let b = chunk[i]
                if b != 0x0A && b != 0x0D {
                    rowStartLine = line
                    rowRawStart = i
                    break
                }
                i += 1
            }
        }
        if rowStartLine != nil {
            // Checked before libcsv holds the bytes: a row that never ends stops here, not at the end.
            guard rowLimit.allows(rowBytes + length) else {
                throw rowLimit.exceeded(
                    file: name, line: rowStartLine, expected: "a CSV export with rows of reasonable size")
            }
            rowBytes += length
        }
        self.segmentStart = chunkStart
        self.segmentEnd = segmentEnd
        let parsed = csv_parse(parser, base + chunkStart, length, fieldEnded, rowEnded, row)
        if let failure {
            self.failure = nil
            throw failure
        }
        if parsed != length {
            throw parseError()
        }
        chunkStart = segmentEnd
        if endsLine { line += 1 }
        partialLine = !endsLine
        return true
    }

    private func finish() throws {
        ended = true
        let startLine = rowStartLine ?? line
        if csv_fini(parser, fieldEnded, rowEnded, row) != 0 {
            if csv_error(parser) == CSV_EPARSE {
                throw InputError(
                    file: name, line: startLine,
                    message:
                        "a quoted field on the row starting here is never closed: expected a closing '\"' before the end of the file"
                )
            }
            throw parseError()
        }
        if let failure {
            self.failure = nil
            throw failure
        }
        stats.lines = line - 1 + (partialLine ? 1 : 0)
    }

    private func parseError() -> InputError {
        if let failure = failure as? InputError { return failure }
        switch csv_error(parser) {
        case CSV_EPARSE:
            return InputError(
                file: name, line: line,
                message:
                    "malformed CSV: a '\"' inside an unquoted field, or a character after a closing quote; expected RFC 4180 (a field holding quotes is quoted, its quotes doubled, and a closing quote is followed by a comma or the end of the line)"
            )
        case CSV_ENOMEM:
            return InputError(file: name, line: line, message: "out of memory while reading a field")
        default:
            return InputError(
                file: name, line: line, message: "CSV parse error: \(String(cString: csv_strerror(csv_error(parser))))")
        }
    }

    // MARK: - Rows

    fileprivate func fieldOverflow() {
        if failure == nil {
            failure = rowLimit.exceeded(
                file: name, line: rowStartLine ?? line, expected: "a CSV export with rows of reasonable size")
        }
    }

    /// Called by libcsv at the end of each row.
    fileprivate func endRow() {
        defer {
            row.pointee.reset()
            rowStartLine = nil
            rowRawStart = nil
            rowBytes = 0
            rawDropped = false
            if !rawCarry.isEmpty { rawCarry.removeAll(keepingCapacity: rawCarry.count < 1 << 20) }
        }
        guard failure == nil else { return }
        let startLine = rowStartLine ?? line
        let buffer = row
        guard headerCount >= 0 else { return takeHeader(line: startLine) }
        guard handler != nil else {
            pendingRows.append(((0..<buffer.pointee.fieldCount).map { Array(buffer.pointee.field($0)) }, startLine))
            return
        }
        stats.rows += 1
        guard buffer.pointee.fieldCount == headerCount else {
            deliver(
                .rejected(
                    .invalidValue("the row has \(buffer.pointee.fieldCount) fields, the header has \(headerCount)")),
                line: startLine, fields: rowFields)
            return
        }
        // Per row: the builder and the runs are reached without retaining them (they live as long as
        // the reader), which was a tenth of the work left besides libcsv's.
        var outcome = builderRef.unsafelyUnwrapped._withUnsafeGuaranteedRef {
            $0.build(
                id: buffer.pointee.value(idIndex), time: buffer.pointee.value(timeIndex),
                scope: buffer.pointee.value(scopeIndex), version: buffer.pointee.value(versionIndex),
                origin: RowOrigin(fileIndex: fileIndex, line: startLine))
        }
        if case .entry(let entry, let serial) = outcome, runs!.appendToLast(entry, scope: serial) {
            stats.records += 1
            return
        }
        if !selectionIndices.isEmpty {
            outcome = RecordBuilder.withSelection(outcome) {
                builder!.selectionCache.values(count: selectionIndices.count) {
                    buffer.pointee.value(selectionIndices[$0])
                }
            }
        }
        deliver(outcome, line: startLine, fields: rowFields)
    }

    /// The header row just ended: its fields name the columns.
    private func takeHeader(line startLine: Int) {
        let buffer = row.pointee
        var names: [String] = []
        names.reserveCapacity(buffer.fieldCount)
        for i in 0..<buffer.fieldCount {
            guard let name = String(validating: buffer.field(i), as: UTF8.self) else {
                failure = InputError(
                    file: self.name, line: startLine,
                    message:
                        "the header row is not valid UTF-8 text: expected a CSV file with a header row naming the columns"
                )
                return
            }
            names.append(name)
        }
        header = names
        headerCount = names.count
        headerLine = startLine
    }

    /// The current row's fields, for its rejection.
    private func rowFields() -> [String] {
        let buffer = row.pointee
        if buffer.copyAll {
            return (0..<buffer.fieldCount).map { String(decoding: buffer.field($0), as: UTF8.self) }
        }
        return rawRowFields()
    }

    private func emitPending(_ fields: [[UInt8]], line startLine: Int) throws {
        row.pointee.reset()
        row.pointee.copyAll = true
        defer { row.pointee.copyAll = false }
        for field in fields {
            field.withUnsafeBytes { _ = row.pointee.append($0) }
            row.pointee.endField()
        }
        rowStartLine = startLine
        endRow()
        if let failure {
            self.failure = nil
            throw failure
        }
    }

    private func deliver(_ outcome: RecordBuilder.Outcome, line startLine: Int, fields: () -> [String]) {
        do {
            switch outcome {
            case .entry(let entry, let scope):
                stats.records += 1
                try runs!.append(entry, scope: scope, of: builder!, to: handler!)
            case .record(let record):
                stats.records += 1
                try runs?.flush(to: handler!)
                try handler!(.record(record))
            case .rejected(let reason):
                stats.rejected += 1
                try runs?.flush(to: handler!)
                let rejection = Rejection(
                    file: name, line: startLine, reason: reason, original: .csv(header: header ?? [], fields: fields()))
                try handler!(.rejected(rejection))
            }
        } catch {
            failure = error
        }
    }
}

/// The current row's bytes, every field back to back, and where each field ends. Reused row after
/// row; reached by libcsv's callbacks through the `void *` data pointer.
struct CSVRowBuffer {
    var bytes: UnsafeMutablePointer<UInt8>
    var byteCount = 0
    var byteCapacity: Int
    var ends: UnsafeMutablePointer<Int>
    var fieldCount = 0
    var fieldCapacity: Int
    /// The reader, which owns this buffer and so outlives it.
    var owner: Unmanaged<CSVReader>?
    /// Copy every field (the header, and rows read before the columns are known).
    var copyAll = true
    /// Per column, whether its bytes are copied; columns past the end are not.
    var needed: UnsafeMutablePointer<Bool>
    var neededCount = 0
    /// The length of each needed cell too long to copy (`CSVReader.maxNeededCellBytes`), by column.
    var oversized: [Int: Int] = [:]
    /// The most bytes the row may hold.
    var maxBytes = RowSizeLimit.standard.maxBytes

    init() {
        byteCapacity = 4096
        bytes = .allocate(capacity: byteCapacity)
        fieldCapacity = 64
        ends = .allocate(capacity: fieldCapacity)
        needed = .allocate(capacity: 1)
    }

    func release() {
        bytes.deallocate()
        ends.deallocate()
        needed.deallocate()
    }

    mutating func setNeeded(_ columns: [Int], columns count: Int) {
        needed.deallocate()
        needed = .allocate(capacity: max(count, 1))
        needed.initialize(repeating: false, count: max(count, 1))
        for c in columns { needed[c] = true }
        neededCount = count
        copyAll = false
    }

    @inline(__always)
    func wants(_ index: Int) -> Bool {
        copyAll || (index < neededCount && needed[index])
    }

    @inline(__always)
    mutating func reset() {
        byteCount = 0
        fieldCount = 0
        if !oversized.isEmpty { oversized = [:] }
    }

    /// A needed cell as the record builder takes it.
    @inline(__always)
    func value(_ index: Int) -> FieldValue {
        guard index >= 0 else { return .absent }
        if !oversized.isEmpty, let length = oversized[index] { return .unusable("\(length) bytes long") }
        return .text(field(index))
    }

    /// False when the row would pass `maxBytes`.
    @inline(__always)
    mutating func append(_ field: UnsafeRawBufferPointer) -> Bool {
        if !copyAll && field.count > CSVReader.maxNeededCellBytes {
            oversized[fieldCount] = field.count
            return true
        }
        let needed = byteCount + field.count
        if needed > byteCapacity {
            guard needed <= maxBytes else { return false }
            var capacity = byteCapacity * 2
            while capacity < needed { capacity *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            grown.update(from: bytes, count: byteCount)
            bytes.deallocate()
            bytes = grown
            byteCapacity = capacity
        }
        if let source = field.baseAddress, field.count > 0 {
            (bytes + byteCount).update(from: source.assumingMemoryBound(to: UInt8.self), count: field.count)
        }
        byteCount = needed
        return true
    }

    @inline(__always)
    mutating func endField() {
        if fieldCount == fieldCapacity { growEnds() }
        ends[fieldCount] = byteCount
        fieldCount += 1
    }

    @inline(never)
    private mutating func growEnds() {
        let capacity = fieldCapacity * 2
        let grown = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
        grown.update(from: ends, count: fieldCount)
        ends.deallocate()
        ends = grown
        fieldCapacity = capacity
    }

    @inline(__always)
    func field(_ index: Int) -> UnsafeRawBufferPointer {
        let start = index == 0 ? 0 : ends[index - 1]
        return UnsafeRawBufferPointer(start: bytes + start, count: ends[index] - start)
    }
}

/// Called by libcsv for every field: most are not needed, and only counted, on a path that stays short.
private func fieldEnded(_ field: UnsafeMutableRawPointer?, _ length: Int, _ data: UnsafeMutableRawPointer?) {
    let row = data.unsafelyUnwrapped.assumingMemoryBound(to: CSVRowBuffer.self)
    if row.pointee.wants(row.pointee.fieldCount) { return keepField(field, length, row) }
    row.pointee.endField()
}

@inline(never)
private func keepField(_ field: UnsafeMutableRawPointer?, _ length: Int, _ row: UnsafeMutablePointer<CSVRowBuffer>) {
    if !row.pointee.append(UnsafeRawBufferPointer(start: field, count: field == nil ? 0 : length)) {
        row.pointee.owner.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.fieldOverflow() }
        return
    }
    row.pointee.endField()
}

private func rowEnded(_ terminator: Int32, _ data: UnsafeMutableRawPointer?) {
    let row = data.unsafelyUnwrapped.assumingMemoryBound(to: CSVRowBuffer.self)
    row.pointee.owner.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.endRow() }
}
