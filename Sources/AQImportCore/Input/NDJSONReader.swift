#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads NDJSON: one JSON object per line, blank lines skipped, the last line with or without a
/// newline. Lines are scanned in place in a buffer that holds the current chunk (64 KiB) or, for a
/// longer line, that line.
final class NDJSONReader {
    static let chunkSize = 65_536

    let name: String
    let fileIndex: Int
    /// A line longer than this is refused as soon as it is, rather than buffered without end.
    let rowLimit: RowSizeLimit
    private let source: ByteSource
    private var buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var searchFrom = 0
    private var sourceEnded = false
    private var started = false
    /// The number of the last line handed out.
    private var lineNumber = 0

    private var scanner = JSONLineScanner(targets: [])
    private(set) var extractor: JSONRecordExtractor?
    /// Records on their way as runs (`ReadOptions.recordRuns`). Touched on every row by the reading
    /// thread alone: no exclusivity check is needed.
    @exclusivity(unchecked) private var runs: RecordRunCollector?
    /// The objects read while detecting the columns, handed to `read` first.
    private var pending: [(bytes: [UInt8], line: Int)] = []
    private(set) var firstObjectLine = 1
    /// Counted on every row by the reading thread alone: no exclusivity check is needed.
    @exclusivity(unchecked) var stats = FileReadStats()

    init(source: ByteSource, name: String, fileIndex: Int, rowLimit: RowSizeLimit = .standard) {
        self.source = source
        self.name = name
        self.fileIndex = fileIndex
        self.rowLimit = rowLimit
        // malloc and realloc, not allocate: a long line's buffer grows in place (mremap for big
        // blocks) instead of being held twice while it is copied.
        buffer = UnsafeMutableRawBufferPointer(start: malloc(Self.chunkSize)!, count: Self.chunkSize)
    }

    deinit {
        free(buffer.baseAddress)
        scanner.release()
    }

    /// Reads the first objects (up to `JSONRecordExtractor.detectionObjects`) and returns the union of
    /// their flattened keys, in the order first seen.
    func readColumns() throws -> [String] {
        var keysScanner = JSONLineScanner(targets: [])
        defer { keysScanner.release() }
        keysScanner.collectKeys = true
        var pendingBytes = 0
        var sawObject = false
        while pending.count < JSONRecordExtractor.detectionObjects, pendingBytes < JSONRecordExtractor.detectionBytes,
            let line = try nextLine()
        {
            let isObject: Bool
            do {
                isObject = try keysScanner.scan(line)
            } catch {
                throw syntaxError(error, line: lineNumber)
            }
            if isObject {
                if !sawObject { firstObjectLine = lineNumber }
                sawObject = true
                if line.count > RowSizeLimit.maxKeptRejectedBytes
                    || pendingBytes + line.count > JSONRecordExtractor.detectionBytes
                {
                    // A long line is not copied aside (that would double its memory): it stays in the
                    // buffer and `read` takes it again.
                    unread(line)
                    break
                }
                pending.append((Array(line), lineNumber))
                pendingBytes += line.count
            }
        }
        if sawObject { return keysScanner.keys }
        throw InputError(
            file: name, line: lineNumber == 0 ? nil : lineNumber,
            message: "no JSON object in the file: expected one JSON object per line")
    }

    func configure(mapping: ColumnMapping, options: ReadOptions) {
        let extractor = JSONRecordExtractor(mapping: mapping, options: options)
        self.extractor = extractor
        scanner.release()
        scanner = extractor.makeScanner(endName: "line")
        runs = extractor.builder.runCollector()
    }

    func read(_ handle: (ReadEvent) throws -> Void) throws {
        // The scanner is lent in place and the extractor passed along: read from the stored properties
        // on every line, the scanner was copied (its arrays retained and released), the extractor retained.
        try read(&scanner, extractor!, handle)
    }

    private func read(
        _ scanner: inout JSONLineScanner, _ extractor: JSONRecordExtractor, _ handle: (ReadEvent) throws -> Void
    ) throws {
        let early = pending
        pending = []
        for (bytes, line) in early {
            try bytes.withUnsafeBytes { try process($0, line: line, &scanner, extractor, handle) }
        }
        while let line = try nextLine() {
            try process(line, line: lineNumber, &scanner, extractor, handle)
        }
        try runs?.flush(to: handle)
        stats.lines = lineNumber
    }

    private func process(
        _ line: UnsafeRawBufferPointer, line number: Int, _ scanner: inout JSONLineScanner,
        _ extractor: JSONRecordExtractor, _ handle: (ReadEvent) throws -> Void
    ) throws {
        do {
            guard try scanner.scan(line) else { return }
        } catch {
            throw syntaxError(error, line: number)
        }
        stats.rows += 1
        switch extractor.outcome(of: scanner, origin: RowOrigin(fileIndex: fileIndex, line: number)) {
        case .entry(let entry, let scope):
            stats.records += 1
            if runs!.appendToLast(entry, scope: scope) { return }
            try runs!.append(entry, scope: scope, of: extractor.builder, to: handle)
        case .record(let record):
            stats.records += 1
            try runs?.flush(to: handle)
            try handle(.record(record))
        case .rejected(let reason):
            stats.rejected += 1
            try runs?.flush(to: handle)
            var text = line
            while let last = text.last, last == 0x0D || last == 0x20 || last == 0x09 {
                text = UnsafeRawBufferPointer(rebasing: text.dropLast())
            }
            let kept = text.count <= RowSizeLimit.maxKeptRejectedBytes ? String(decoding: text, as: UTF8.self) : "{}"
            let rejection = Rejection(file: name, line: number, reason: reason, original: .ndjson(line: kept))
            try handle(.rejected(rejection))
        }
    }

    private func syntaxError(_ error: JSONSyntaxError, line: Int) -> InputError {
        InputError(file: name, line: line, message: "not a JSON object (column \(error.offset + 1)): \(error.message)")
    }

    /// Gives back the line `nextLine` just returned: the next call returns it again.
    private func unread(_ line: UnsafeRawBufferPointer) {
        start = UnsafeRawPointer(buffer.baseAddress!).distance(to: line.baseAddress!)
        searchFrom = start
        lineNumber -= 1
    }

    /// The next physical line without its LF, valid until the next call; nil at the end.
    private func nextLine() throws -> UnsafeRawBufferPointer? {
        while true {
            if searchFrom < end,
                let newline = memchr(buffer.baseAddress! + searchFrom, 0x0A, end - searchFrom)
            {
                let stop = buffer.baseAddress!.distance(to: UnsafeMutableRawPointer(newline))
                let line = UnsafeRawBufferPointer(rebasing: buffer[start..<stop])
                start = stop + 1
                searchFrom = start
                lineNumber += 1
                return line
            }
            searchFrom = end
            if sourceEnded {
                guard start < end else { return nil }
                let line = UnsafeRawBufferPointer(rebasing: buffer[start..<end])
                start = end
                lineNumber += 1
                return line
            }
            try fill()
        }
    }

    /// Moves the partial line to the front, grows the buffer if that line fills it, and reads more.
    private func fill() throws {
        if start > 0 {
            let pending = end - start
            if pending > 0 {
                memmove(buffer.baseAddress!, buffer.baseAddress! + start, pending)
            }
            end = pending
            searchFrom -= start
            start = 0
        }
        if end == buffer.count {
            // The buffer holds one line from its start: the line cannot end within the limit.
            guard rowLimit.allows(end) else {
                throw rowLimit.exceeded(
                    file: name, line: lineNumber + 1, row: "a line", expected: "one JSON object per line")
            }
            // One byte past the limit, so that a line of exactly the limit still finds its newline.
            let capacity = min(buffer.count * 2, rowLimit.maxBytes + 1)
            guard let grown = realloc(buffer.baseAddress, capacity) else {
                throw InputError(file: name, line: lineNumber + 1, message: "out of memory for a line of \(end) bytes")
            }
            buffer = UnsafeMutableRawBufferPointer(start: grown, count: capacity)
        }
        let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
        if n == 0 {
            sourceEnded = true
            return
        }
        stats.decodedBytes += n
        end += n
        if !started {
            // Enough bytes to see a byte-order mark, however small the source's chunks.
            while end < 3 {
                let more = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
                if more == 0 { break }
                stats.decodedBytes += more
                end += more
            }
            started = true
            if end >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
                start = 3
                searchFrom = 3
            }
        }
    }
}
