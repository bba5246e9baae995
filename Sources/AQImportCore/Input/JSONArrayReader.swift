#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads one top-level JSON array of objects (`ax spans export`, `json.dump` of a list), streaming:
/// each object is scanned in place in a buffer that holds the current chunk (64 KiB) or, for a longer
/// object, that object, so a 2 GB array never sits in memory. Any whitespace may stand between tokens;
/// objects and errors are numbered by the line they start on, and rejected objects are kept as one
/// line each, so that their rejects file is NDJSON.
final class JSONArrayReader {
    static let chunkSize = 65_536

    let name: String
    let fileIndex: Int
    let rowLimit: RowSizeLimit
    private let source: ByteSource
    private var buffer: UnsafeMutableRawBufferPointer
    /// The first byte not consumed, and the end of the bytes read.
    private var start = 0
    private var end = 0
    private var sourceEnded = false
    private var started = false

    private enum Position {
        case beforeArray
        case firstElement
        case afterElement
        case finished
    }
    private var position = Position.beforeArray

    /// Line numbers: `lines` line feeds lie before buffer offset `countedTo`.
    private var countedTo = 0
    private var lines = 0
    private var lastByteIsNewline = false

    private var scanner = JSONLineScanner(targets: [])
    private(set) var extractor: JSONRecordExtractor?
    /// Records on their way as runs (`ReadOptions.recordRuns`). Touched on every row by the reading
    /// thread alone: no exclusivity check is needed.
    @exclusivity(unchecked) private var runs: RecordRunCollector?
    private var pending: [(bytes: [UInt8], line: Int)] = []
    private(set) var firstObjectLine = 1
    /// Counted on every row by the reading thread alone: no exclusivity check is needed.
    @exclusivity(unchecked) var stats = FileReadStats()

    init(source: ByteSource, name: String, fileIndex: Int, rowLimit: RowSizeLimit = .standard) {
        self.source = source
        self.name = name
        self.fileIndex = fileIndex
        self.rowLimit = rowLimit
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
        keysScanner.endName = "file"
        var pendingBytes = 0
        while pending.count < JSONRecordExtractor.detectionObjects, pendingBytes < JSONRecordExtractor.detectionBytes,
            let next = try nextObject(&keysScanner)
        {
            if pending.isEmpty { firstObjectLine = next.line }
            pending.append((Array(next.object), next.line))
            pendingBytes += next.object.count
        }
        guard pending.isEmpty else { return keysScanner.keys }
        throw InputError(file: name, line: line(at: start), message: "the JSON array holds no objects")
    }

    func configure(mapping: ColumnMapping, options: ReadOptions) {
        let extractor = JSONRecordExtractor(mapping: mapping, options: options)
        self.extractor = extractor
        scanner.release()
        scanner = extractor.makeScanner(endName: "file")
        runs = extractor.builder.runCollector()
    }

    func read(_ handle: (ReadEvent) throws -> Void) throws {
        // The scanner is lent in place and the extractor passed along: read from the stored properties
        // on every object, the scanner was copied (its arrays retained and released), the extractor retained.
        try read(&scanner, extractor!, handle)
    }

    private func read(
        _ scanner: inout JSONLineScanner, _ extractor: JSONRecordExtractor, _ handle: (ReadEvent) throws -> Void
    ) throws {
        let early = pending
        pending = []
        for (bytes, line) in early {
            try bytes.withUnsafeBytes { object in
                do {
                    _ = try scanner.scanObject(object, final: true)
                } catch {
                    let what = (error as? JSONSyntaxError)?.message ?? "\(error)"
                    throw InputError(file: name, line: line, message: "not valid JSON: \(what)")

                }
                try process(object, line: line, scanner, extractor, handle)
            }
        }
        while let next = try nextObject(&scanner) {
            try process(next.object, line: next.line, scanner, extractor, handle)
        }
        try runs?.flush(to: handle)
        stats.lines = lines + (lastByteIsNewline || stats.decodedBytes == 0 ? 0 : 1)
    }

    /// Judges the object `scanner` has just scanned.
    private func process(
        _ object: UnsafeRawBufferPointer, line: Int, _ scanner: borrowing JSONLineScanner,
        _ extractor: JSONRecordExtractor, _ handle: (ReadEvent) throws -> Void
    ) throws {
        stats.rows += 1
        switch extractor.outcome(of: scanner, origin: RowOrigin(fileIndex: fileIndex, line: line)) {
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
            let rejection = Rejection(
                file: name, line: line, reason: reason, original: .ndjson(line: Self.oneLine(object)))
            try handle(.rejected(rejection))
        }
    }

    /// The next element of the array, scanned by `scanner`, and the line it starts on; nil after the
    /// closing ']'. The bytes are valid until the next call.
    private func nextObject(_ scanner: inout JSONLineScanner) throws -> (object: UnsafeRawBufferPointer, line: Int)? {
        switch position {
        case .finished:
            return nil
        case .beforeArray:
            guard let b = try nextNonBlank() else {
                throw InputError(file: name, line: nil, message: "no JSON array in the file: expected '['")
            }
            guard b == UInt8(ascii: "[") else {
                throw error(at: start, "expected a JSON array starting with '['")
            }
            start += 1
            position = .firstElement
        case .firstElement, .afterElement:
            break
        }
        guard var b = try nextNonBlank() else {
            throw error(at: start, "the array is never closed: expected ',' or ']' before the end of the file")
        }
        if position == .afterElement {
            if b == UInt8(ascii: "]") {
                start += 1
                try finish()
                return nil
            }
            guard b == UInt8(ascii: ",") else { throw error(at: start, "expected ',' or ']' after an object") }
            start += 1
            guard let next = try nextNonBlank() else {
                throw error(at: start, "expected an object after ',' but the file ended")
            }
            b = next
        } else if b == UInt8(ascii: "]") {
            start += 1
            try finish()
            return nil
        }
        guard b == UInt8(ascii: "{") else {
            throw error(at: start, "expected a JSON object (an array of objects, one per record)")
        }
        while true {
            let piece = UnsafeRawBufferPointer(rebasing: buffer[start..<end])
            let length: Int?
            do {
                length = try scanner.scanObject(piece, final: sourceEnded)
            } catch {
                throw self.error(at: start + error.offset, error.message)
            }
            if let length {
                let object = UnsafeRawBufferPointer(rebasing: buffer[start..<(start + length)])
                let line = line(at: start)
                start += length
                // The scanner counted the object's line feeds.
                lines += scanner.newlines
                countedTo = start
                position = .afterElement
                return (object, line)
            }
            try fill(keeping: start)
        }
    }

    /// After the closing ']': only whitespace may follow.
    private func finish() throws {
        position = .finished
        if try nextNonBlank() != nil {
            throw error(at: start, "expected the end of the file after the array's closing ']'")
        }
        _ = line(at: end)
    }

    /// Skips whitespace, reading more as needed; the byte at `start`, or nil at the end of the input.
    private func nextNonBlank() throws -> UInt8? {
        while true {
            while start < end {
                let b = buffer[start]
                guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return b }
                start += 1
            }
            if sourceEnded { return nil }
            try fill(keeping: start)
        }
    }

    /// The 1-based line of buffer offset `offset` (not before the last one asked for).
    private func line(at offset: Int) -> Int {
        var k = countedTo
        while k < offset, let newline = memchr(buffer.baseAddress! + k, 0x0A, offset - k) {
            lines += 1
            k = buffer.baseAddress!.distance(to: UnsafeMutableRawPointer(newline)) + 1
        }
        countedTo = max(countedTo, offset)
        return lines + 1
    }

    private func error(at offset: Int, _ message: String) -> InputError {
        let line = line(at: offset)
        var lineStart = offset
        while lineStart > 0, buffer[lineStart - 1] != 0x0A { lineStart -= 1 }
        return InputError(
            file: name, line: line, message: "not valid JSON (column \(offset - lineStart + 1)): \(message)")
    }

    /// Drops the bytes before `keep`, grows the buffer when what is kept fills half of it (so that a
    /// long object is rescanned a few times, not once per chunk), and reads until the buffer is full or
    /// the input ends.
    private func fill(keeping keep: Int) throws {
        _ = line(at: keep)
        if keep > 0 {
            let kept = end - keep
            if kept > 0 { memmove(buffer.baseAddress!, buffer.baseAddress! + keep, kept) }
            end = kept
            start -= keep
            countedTo -= keep
        }
        if end > buffer.count / 2 {
            guard rowLimit.allows(end) else {
                throw rowLimit.exceeded(
                    file: name, line: line(at: 0), row: "an object", expected: "a JSON array of objects")
            }
            let capacity = min(buffer.count * 2, rowLimit.maxBytes + 1)
            if capacity > buffer.count {
                guard let grown = realloc(buffer.baseAddress, capacity) else {
                    throw InputError(
                        file: name, line: line(at: 0), message: "out of memory for an object of \(end) bytes")
                }
                buffer = UnsafeMutableRawBufferPointer(start: grown, count: capacity)
            }
        }
        // One read while the buffer is small, as the other readers do; a grown buffer (a long object
        // to complete) is filled whole; the first read gets enough bytes to see a byte-order mark.
        repeat {
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
            if n == 0 {
                sourceEnded = true
                break
            }
            stats.decodedBytes += n
            end += n
        } while end < buffer.count && (buffer.count > Self.chunkSize || (!started && end < 3))
        if end > 0 { lastByteIsNewline = buffer[end - 1] == 0x0A }
        if !started {

            started = true
            if end >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
                start = 3
                countedTo = 3
            }
        }
    }

    /// Whether `source` holds NDJSON (its first non-blank byte after any byte-order mark is '{')
    /// rather than a JSON array, and a source that gives back every byte. Looks at most 1 MiB ahead.
    static func sniff(_ source: ByteSource) throws -> (holdsNDJSON: Bool, source: ByteSource) {
        var seen: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while seen.count < 1 << 20 {
            let n = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            if n == 0 { break }
            let from = seen.count
            seen += chunk[0..<n]
            var k = max(from, seen.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0)
            if seen.count < 3 && [0xEF, 0xBB, 0xBF].starts(with: seen) { continue }
            while k < seen.count {
                let b = seen[k]
                if b != 0x20 && b != 0x0A && b != 0x0D && b != 0x09 {
                    return (b == UInt8(ascii: "{"), PrefixedByteSource(prefix: seen, base: source))
                }
                k += 1
            }
        }
        return (false, PrefixedByteSource(prefix: seen, base: source))
    }

    /// An object's text on one line: the whitespace between its tokens dropped (raw line breaks

    /// cannot occur inside JSON strings).
    static func oneLine(_ object: UnsafeRawBufferPointer) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(object.count)
        var inString = false
        var escaped = false
        for b in object {
            if inString {
                out.append(b)
                if escaped {
                    escaped = false
                } else if b == UInt8(ascii: "\\") {
                    escaped = true
                } else if b == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 {
                continue
            } else {
                if b == UInt8(ascii: "\"") { inString = true }
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
