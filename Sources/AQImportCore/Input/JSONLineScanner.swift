#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A JSON syntax error in one line: where (0-based byte offset) and what was expected.
struct JSONSyntaxError: Error {
    var offset: Int
    var message: String
}

/// A single-pass scanner for one NDJSON line: checks the whole line is one JSON object (RFC 8259
/// syntax, nesting at most `maxDepth` deep) and copies out only the values at the wanted paths.
///
/// A path is the object keys leading to a value joined with `.`, so `{"context": {"span_id": "a"}}`
/// and `{"context.span_id": "a"}` both offer `context.span_id` (every split of nesting and dotted
/// keys). Values inside arrays have no path, except in the top-level `evaluations` and `annotations`
/// lists, whose entries `{"name": N, "label": ...}` offer `eval.N.label|score|explanation` and
/// `annotation.N.label|score|text`, the names exports flatten them to. The first value found for a
/// path wins; a second one is noted in `duplicateTarget`. Python's `NaN`, `Infinity` and `-Infinity`
/// are accepted as values (unusable where a target wants them). Strings that are not extracted are
/// checked, not decoded; UTF-8 is checked later, only in the values used.
struct JSONLineScanner {
    static let maxDepth = 512

    enum Found {
        case absent
        case null
        case string
        case number
        case unusable(String)
    }

    /// The dotted paths wanted, and per path what was found and where its bytes (unescaped) sit in
    /// `arena`.
    private(set) var targets: [[UInt8]]
    private(set) var found: [Found]
    private(set) var ranges: [Range<Int>]
    private(set) var arena: [UInt8] = []
    /// The first target found twice in the object (a duplicate key, or two spellings of one path), or -1.
    private(set) var duplicateTarget = -1
    /// The line feeds the last scan stepped over: raw line breaks occur only between tokens, so a JSON
    /// array's reader numbers its objects without a pass of its own over their bytes.
    private(set) var newlines = 0
    /// False while scanning a piece of a larger input (`scanObject`): running out of bytes is then
    /// `incomplete`, not an error.
    private var final = true
    /// What ran out, in messages: "line" (NDJSON) or "file" (a JSON array).
    var endName = "line"
    /// Targets that name an entry of the `evaluations` or `annotations` list.
    private var hasNamedTargets = false
    /// When set, every leaf's path is collected (for the first object: the file's "columns").
    var collectKeys = false
    private(set) var keys: [String] = []
    private var keySet: Set<[UInt8]> = []

    private var p: UnsafePointer<UInt8> = UnsafePointer(bitPattern: 1)!
    private var end = 0
    private var i = 0
    /// The current path, in a buffer this scanner owns (see `release`).
    private var pathBase: UnsafeMutablePointer<UInt8>
    private var pathCapacity = 256
    private var pathLength = 0
    /// False inside a value no target can lie under: its keys are then only checked, not recorded.
    private var pathLive = true
    private var arrayDepth = 0
    private var key: [UInt8] = []
    private var longestTarget = 0

    init(targets: [[UInt8]]) {
        self.targets = targets
        found = Array(repeating: .absent, count: targets.count)
        ranges = Array(repeating: 0..<0, count: targets.count)
        arena.reserveCapacity(256)
        longestTarget = targets.map(\.count).max() ?? 0
        hasNamedTargets = targets.contains {
            $0.starts(with: Array("eval.".utf8)) || $0.starts(with: Array("annotation.".utf8))
        }
        pathBase = .allocate(capacity: pathCapacity)
        key.reserveCapacity(64)
    }

    /// Frees the path buffer; the owner calls it once, when done with the scanner.
    func release() {
        pathBase.deallocate()
    }

    @inline(__always)
    private mutating func appendPath(_ bytes: UnsafePointer<UInt8>, _ count: Int) {
        if pathLength + count > pathCapacity {
            var capacity = pathCapacity * 2
            while capacity < pathLength + count { capacity *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            grown.update(from: pathBase, count: pathLength)
            pathBase.deallocate()
            pathBase = grown
            pathCapacity = capacity
        }
        (pathBase + pathLength).update(from: bytes, count: count)
        pathLength += count
    }

    /// Whether a target equals the current path or lies under it.
    @inline(__always)
    private func pathIsRelevant() -> Bool {
        for target in targets where target.count >= pathLength {
            let same = target.withUnsafeBufferPointer { t in
                memcmp(t.baseAddress!, pathBase, pathLength) == 0
                    && (t.count == pathLength || t[pathLength] == UInt8(ascii: "."))
            }
            if same { return true }
        }
        return false
    }

    /// Steps `i` over bytes that need no attention in a string: not '"', '\\' or a control
    /// character. Eight bytes at a time while it can.
    @inline(__always)
    private mutating func skipPlain() {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let raw = UnsafeRawPointer(p)
        while i + 8 <= end {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let quote = w ^ (ones &* 0x22)
            let backslash = w ^ (ones &* 0x5C)
            let special =
                ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((w &- ones &* 0x20) & ~w)
            if special & highs != 0 { break }
            i += 8
        }
        while i < end {
            let b = p[i]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { return }
            i += 1
        }
    }

    private mutating func reset(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for t in found.indices { found[t] = .absent }
        duplicateTarget = -1
        newlines = 0
        arena.removeAll(keepingCapacity: true)
        guard let base = bytes.baseAddress, bytes.count > 0 else { return false }
        p = base.assumingMemoryBound(to: UInt8.self)
        end = bytes.count
        i = 0
        pathLength = 0
        pathLive = true
        arrayDepth = 0
        return true
    }

    /// Scans the object that starts at the first byte of `bytes` (a '{'), and returns the offset just
    /// past its closing '}', or nil when `bytes` ends inside it and `final` is false (more input may
    /// complete it).
    mutating func scanObject(_ bytes: UnsafeRawBufferPointer, final: Bool) throws(JSONSyntaxError) -> Int? {
        guard reset(bytes) else { return nil }
        self.final = final
        defer { self.final = true }
        do {
            try object(depth: 1)
        } catch {
            if !final && error.offset >= end { return nil }
            throw error
        }
        return i
    }

    /// Scans `line`. Returns false when it holds only whitespace.
    mutating func scan(_ line: UnsafeRawBufferPointer) throws(JSONSyntaxError) -> Bool {
        guard reset(line) else { return false }
        skipWhitespace()
        if i == end { return false }
        if p[i] != UInt8(ascii: "{") {
            if p[i] == UInt8(ascii: "[") {
                throw fail("found a JSON array; expected one JSON object per line (NDJSON), not an array")
            }
            throw fail("expected a JSON object starting with '{'")
        }
        try object(depth: 1)
        skipWhitespace()
        guard i == end else { throw fail("expected the end of the line after the object") }
        return true
    }

    private func fail(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: i, message: message)
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while i < end {
            let b = p[i]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            if b == 0x0A { newlines += 1 }
            i += 1
        }
    }

    /// The index of the target equal to the current path, or -1.
    @inline(__always)
    private mutating func matchingTarget() -> Int {
        guard pathLive, arrayDepth == 0, pathLength <= longestTarget else { return -1 }
        for t in targets.indices where targets[t].count == pathLength {
            let same = targets[t].withUnsafeBufferPointer { memcmp($0.baseAddress!, pathBase, pathLength) == 0 }
            guard same else { continue }
            if case .absent = found[t] { return t }
            if duplicateTarget < 0 { duplicateTarget = t }
            return -1
        }
        return -1
    }

    /// Whether the current path is the top-level `evaluations` or `annotations` list and a target
    /// names one of its entries: 1 for evaluations, 2 for annotations, else 0.
    @inline(__always)
    private func namedList() -> Int {
        guard hasNamedTargets, arrayDepth == 0 else { return 0 }
        func isPath(_ word: StaticString) -> Bool {
            pathLength == word.utf8CodeUnitCount && memcmp(pathBase, word.utf8Start, pathLength) == 0
        }
        if isPath("evaluations") { return 1 }
        if isPath("annotations") { return 2 }
        return 0
    }

    @inline(__always)
    private mutating func noteKey() {
        guard collectKeys, arrayDepth == 0, pathLength > 0 else { return }
        let path = Array(UnsafeBufferPointer(start: pathBase, count: pathLength))
        guard !keySet.contains(path) else { return }
        keySet.insert(path)
        keys.append(String(decoding: path, as: UTF8.self))
    }

    private mutating func object(depth: Int) throws(JSONSyntaxError) {
        i += 1
        skipWhitespace()
        if i < end, p[i] == UInt8(ascii: "}") {
            i += 1
            noteKey()
            return
        }
        while true {
            guard i < end else { throw fail("expected a key in double quotes but the \(endName) ended") }
            guard p[i] == UInt8(ascii: "\"") else { throw fail("expected a key in double quotes") }
            let saved = pathLength
            let wasLive = pathLive
            if pathLive && arrayDepth == 0 {
                if pathLength > 0 {
                    var dot = UInt8(ascii: ".")
                    appendPath(&dot, 1)
                }
                try appendKey()
                pathLive = collectKeys || pathIsRelevant() || (saved == 0 && namedList() != 0)

            } else {
                try skipString()
            }
            skipWhitespace()
            guard i < end, p[i] == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
            i += 1
            skipWhitespace()
            try value(depth: depth)
            pathLength = saved
            pathLive = wasLive
            skipWhitespace()
            guard i < end else { throw fail("expected ',' or '}' but the \(endName) ended") }
            if p[i] == UInt8(ascii: ",") {
                i += 1
                skipWhitespace()
                continue
            }
            if p[i] == UInt8(ascii: "}") {
                i += 1
                return
            }
            throw fail("expected ',' or '}' after a value")
        }
    }

    private mutating func array(depth: Int) throws(JSONSyntaxError) {
        i += 1
        arrayDepth += 1
        defer { arrayDepth -= 1 }
        skipWhitespace()
        if i < end, p[i] == UInt8(ascii: "]") {
            i += 1
            return
        }
        while true {
            try value(depth: depth)
            skipWhitespace()
            guard i < end else { throw fail("expected ',' or ']' but the \(endName) ended") }
            if p[i] == UInt8(ascii: ",") {
                i += 1
                skipWhitespace()
                continue
            }
            if p[i] == UInt8(ascii: "]") {
                i += 1
                return
            }
            throw fail("expected ',' or ']' after a value")
        }
    }

    private mutating func value(depth: Int) throws(JSONSyntaxError) {
        guard i < end else { throw fail("expected a value but the \(endName) ended") }
        let target = matchingTarget()
        switch p[i] {
        case UInt8(ascii: "\""):
            if target >= 0, let length = try oversizedString() {
                // Too long to be an id, a time or a scope: judged by its length, never copied.
                found[target] = .unusable("\(length) bytes long")
                ranges[target] = arena.count..<arena.count
            } else if target >= 0 {
                var out: [UInt8] = []
                swap(&out, &arena)
                let first = out.count
                let valid: Bool
                do {
                    valid = try string(into: &out)
                } catch {
                    swap(&out, &arena)
                    throw error
                }
                swap(&out, &arena)
                ranges[target] = first..<arena.count
                found[target] = valid ? .string : .unusable("not valid Unicode (an unpaired surrogate escape)")
            } else {
                try skipString()
            }
            noteKey()
        case UInt8(ascii: "{"):
            guard depth < Self.maxDepth else { throw fail("objects and arrays nested deeper than \(Self.maxDepth)") }
            if target >= 0 { found[target] = .unusable("a JSON object") }
            try object(depth: depth + 1)
        case UInt8(ascii: "["):
            guard depth < Self.maxDepth else { throw fail("objects and arrays nested deeper than \(Self.maxDepth)") }
            if target >= 0 { found[target] = .unusable("a JSON array") }
            noteKey()
            let list = pathLive ? namedList() : 0
            if list != 0 {
                try namedEntries(list, depth: depth + 1)
            } else {
                try array(depth: depth + 1)
            }
        case UInt8(ascii: "t"):
            try literal("true")
            if target >= 0 { found[target] = .unusable("a boolean") }
            noteKey()
        case UInt8(ascii: "f"):
            try literal("false")
            if target >= 0 { found[target] = .unusable("a boolean") }
            noteKey()
        case UInt8(ascii: "n"):
            try literal("null")
            if target >= 0 { found[target] = .null }
            noteKey()
        case UInt8(ascii: "N"):
            try literal("NaN")
            if target >= 0 { found[target] = .unusable("NaN") }
            noteKey()
        case UInt8(ascii: "I"):
            try literal("Infinity")
            if target >= 0 { found[target] = .unusable("Infinity") }
            noteKey()
        case UInt8(ascii: "-") where i + 1 < end && p[i + 1] == UInt8(ascii: "I"):
            try literal("-Infinity")
            if target >= 0 { found[target] = .unusable("-Infinity") }
            noteKey()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = i
            try number()
            if target >= 0 {
                let first = arena.count
                arena.append(contentsOf: UnsafeBufferPointer(start: p + start, count: i - start))
                ranges[target] = first..<arena.count
                found[target] = .number
            }
            noteKey()
        default:
            throw fail("expected a value (a string, number, object, array, true, false or null)")
        }
    }

    /// The entries of an `evaluations` (`list` 1) or `annotations` (2) list: each object's `name` and
    /// its `label`, `score` and `explanation` (evaluations) or `text` (annotations) fill the targets
    /// `eval.<name>.<field>` and `annotation.<name>.<field>`. Anything else is only checked.
    private mutating func namedEntries(_ list: Int, depth: Int) throws(JSONSyntaxError) {
        i += 1
        arrayDepth += 1
        defer { arrayDepth -= 1 }
        skipWhitespace()
        if i < end, p[i] == UInt8(ascii: "]") {
            i += 1
            return
        }
        while true {
            if i < end, p[i] == UInt8(ascii: "{") {
                guard depth < Self.maxDepth else {
                    throw fail("objects and arrays nested deeper than \(Self.maxDepth)")
                }
                try namedEntry(list, depth: depth + 1)
            } else {
                try value(depth: depth)
            }
            skipWhitespace()
            guard i < end else { throw fail("expected ',' or ']' but the \(endName) ended") }
            if p[i] == UInt8(ascii: ",") {
                i += 1
                skipWhitespace()
                continue
            }
            if p[i] == UInt8(ascii: "]") {
                i += 1
                return
            }
            throw fail("expected ',' or ']' after a value")
        }
    }

    private mutating func namedEntry(_ list: Int, depth: Int) throws(JSONSyntaxError) {
        let fields: [StaticString] =
            list == 1 ? ["name", "label", "score", "explanation"] : ["name", "label", "score", "text"]
        var seen: [(found: Found, range: Range<Int>)] = Array(repeating: (.absent, 0..<0), count: 4)
        i += 1
        skipWhitespace()
        if i < end, p[i] == UInt8(ascii: "}") {
            i += 1
            return
        }
        while true {
            guard i < end else { throw fail("expected a key in double quotes but the \(endName) ended") }
            guard p[i] == UInt8(ascii: "\"") else { throw fail("expected a key in double quotes") }
            var key: [UInt8] = []
            swap(&key, &self.key)
            key.removeAll(keepingCapacity: true)
            do {
                _ = try string(into: &key)
            } catch {
                swap(&key, &self.key)
                throw error
            }
            let field = key.withUnsafeBytes { k in
                fields.firstIndex {
                    $0.utf8CodeUnitCount == k.count && memcmp($0.utf8Start, k.baseAddress!, k.count) == 0
                }
            }
            swap(&key, &self.key)
            skipWhitespace()
            guard i < end, p[i] == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
            i += 1
            skipWhitespace()
            guard i < end else { throw fail("expected a value but the \(endName) ended") }
            if let field, case .absent = seen[field].found {
                let first = arena.count
                switch p[i] {
                case UInt8(ascii: "\""):
                    var out: [UInt8] = []
                    swap(&out, &arena)
                    let valid: Bool
                    do {
                        valid = try string(into: &out)
                    } catch {
                        swap(&out, &arena)
                        throw error
                    }
                    swap(&out, &arena)
                    seen[field] = (
                        valid ? .string : .unusable("not valid Unicode (an unpaired surrogate escape)"),
                        first..<arena.count
                    )
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    if i + 1 < end, p[i + 1] == UInt8(ascii: "I") {
                        try value(depth: depth)
                        seen[field].found = .unusable("-Infinity")
                    } else {
                        let start = i
                        try number()
                        arena.append(contentsOf: UnsafeBufferPointer(start: p + start, count: i - start))
                        seen[field] = (.number, first..<arena.count)
                    }
                case UInt8(ascii: "n"):
                    try literal("null")
                    seen[field].found = .null
                default:
                    let what =
                        p[i] == UInt8(ascii: "N")
                        ? "NaN" : p[i] == UInt8(ascii: "I") ? "Infinity" : "not a string or number"
                    try value(depth: depth)
                    seen[field].found = .unusable(what)
                }
            } else {
                try value(depth: depth)
            }
            skipWhitespace()
            guard i < end else { throw fail("expected ',' or '}' but the \(endName) ended") }
            if p[i] == UInt8(ascii: ",") {
                i += 1
                skipWhitespace()
                continue
            }
            if p[i] == UInt8(ascii: "}") {
                i += 1
                break
            }
            throw fail("expected ',' or '}' after a value")
        }
        guard case .string = seen[0].found else { return }
        let prefix: [UInt8] = Array((list == 1 ? "eval." : "annotation.").utf8)
        let name = Array(arena[seen[0].range])
        for field in 1..<4 {
            if case .absent = seen[field].found { continue }
            let path =
                prefix + name + [UInt8(ascii: ".")]
                + Array(UnsafeRawBufferPointer(start: fields[field].utf8Start, count: fields[field].utf8CodeUnitCount))
            guard let t = targets.firstIndex(of: path) else { continue }
            if case .absent = found[t] {
                found[t] = seen[field].found
                ranges[t] = seen[field].range
            } else if duplicateTarget < 0 {
                duplicateTarget = t
            }
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        let available = min(count, end - i)
        for k in 0..<available where p[i + k] != word.utf8Start[k] {
            throw fail("expected \(word)")
        }
        guard available == count else {
            i = end
            throw fail("expected \(word)")
        }
        i += count
    }

    private mutating func number() throws(JSONSyntaxError) {
        if p[i] == UInt8(ascii: "-") { i += 1 }
        guard i < end, isDigit(p[i]) else { throw fail("expected a digit in a number") }
        if p[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while i < end, isDigit(p[i]) { i += 1 }
        }
        if i < end, p[i] == UInt8(ascii: ".") {
            i += 1
            guard i < end, isDigit(p[i]) else { throw fail("expected a digit after '.' in a number") }
            while i < end, isDigit(p[i]) { i += 1 }
        }
        if i < end, p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E") {
            i += 1
            if i < end, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { i += 1 }
            guard i < end, isDigit(p[i]) else { throw fail("expected a digit in a number's exponent") }
            while i < end, isDigit(p[i]) { i += 1 }
        }
    }

    @inline(__always)
    private func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// Reads the key at `i` onto the path: straight from the line when it has no escapes, else
    /// unescaped (a lone surrogate in a key becomes U+FFFD; only values must be exact).
    private mutating func appendKey() throws(JSONSyntaxError) {
        let open = i
        i += 1
        skipPlain()
        if i < end, p[i] == UInt8(ascii: "\"") {
            appendPath(p + open + 1, i - open - 1)
            i += 1
            return
        }
        i = open
        // Swapped out of self so that `string(into:)` may mutate self meanwhile.
        var key: [UInt8] = []
        swap(&key, &self.key)
        defer { swap(&key, &self.key) }
        key.removeAll(keepingCapacity: true)
        _ = try string(into: &key)
        if !key.isEmpty { key.withUnsafeBufferPointer { appendPath($0.baseAddress!, $0.count) } }
    }

    /// Steps over a string, checking its escapes and that it holds no raw control character.
    /// The longest string value copied for a target; longer ones are only measured (a row's memory
    /// stays one copy of the row, whatever it holds).
    static let maxTargetStringBytes = 65_536

    /// When the string at `i` is longer than `maxTargetStringBytes` (as written), steps over it and
    /// returns that length; else leaves `i` where it was and returns nil.
    private mutating func oversizedString() throws(JSONSyntaxError) -> Int? {
        let opening = i
        try skipString()
        let length = i - opening - 2
        if length > Self.maxTargetStringBytes { return length }
        i = opening
        return nil
    }

    private mutating func skipString() throws(JSONSyntaxError) {
        i += 1
        while i < end {
            skipPlain()
            guard i < end else { break }
            let b = p[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return
            }
            if b == UInt8(ascii: "\\") {
                try escapeLength()
            } else if b < 0x20 {
                throw fail("a raw control character inside a string: expected it escaped")
            } else {
                i += 1
            }
        }
        throw fail("a string is never closed: expected '\"' before the end of the \(endName)")
    }

    /// Checks the escape at `i` and steps over it.
    @inline(__always)
    private mutating func escapeLength() throws(JSONSyntaxError) {
        guard i + 1 < end else {
            i = end
            throw fail("a string is never closed: expected '\"' before the end of the \(endName)")
        }
        switch p[i + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            i += 2
        case UInt8(ascii: "u"):
            try needBytes(6)
            guard hex4(at: i + 2) != nil else { throw fail("expected four hex digits after \\u") }
            i += 6
        default:
            throw fail("an invalid escape in a string: expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
        }
    }

    /// In a piece of a larger input, `count` bytes from `i` that run past its end make the piece
    /// incomplete (more input decides); in a whole input the caller's own check decides.
    @inline(__always)
    private mutating func needBytes(_ count: Int) throws(JSONSyntaxError) {
        if !final && i + count > end {
            i = end
            throw fail("more input needed")
        }
    }

    @inline(__always)
    private func hex4(at k: Int) -> UInt32? {

        guard k + 4 <= end else { return nil }
        var v: UInt32 = 0
        for j in k..<(k + 4) {
            let b = p[j]
            let d: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - UInt8(ascii: "A") + 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    /// Reads a string, unescaped, into `out`. Returns false when it holds an unpaired surrogate
    /// (the syntax is still checked to the closing quote).
    private mutating func string(into out: inout [UInt8]) throws(JSONSyntaxError) -> Bool {
        i += 1
        var valid = true
        var runStart = i
        while i < end {
            skipPlain()
            guard i < end else { break }
            let b = p[i]
            if b == UInt8(ascii: "\"") {
                out.append(contentsOf: UnsafeBufferPointer(start: p + runStart, count: i - runStart))
                i += 1
                return valid
            }
            if b == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(start: p + runStart, count: i - runStart))
                guard i + 1 < end else {
                    i = end
                    throw fail("a string is never closed: expected '\"' before the end of the \(endName)")
                }
                let e = p[i + 1]
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    try needBytes(6)
                    guard var scalar = hex4(at: i + 2) else { throw fail("expected four hex digits after \\u") }
                    if (0xD800..<0xDC00).contains(scalar) {
                        try needBytes(12)
                        if i + 12 <= end, p[i + 6] == UInt8(ascii: "\\"), p[i + 7] == UInt8(ascii: "u"),
                            let low = hex4(at: i + 8), (0xDC00..<0xE000).contains(low)
                        {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                        } else {
                            valid = false
                            scalar = 0xFFFD
                        }
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        valid = false
                        scalar = 0xFFFD
                    }
                    appendUTF8(scalar, to: &out)
                    i += 4
                default:
                    throw fail(
                        "an invalid escape in a string: expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
                }
                i += 2
                runStart = i
            } else if b < 0x20 {
                throw fail("a raw control character inside a string: expected it escaped")
            } else {
                i += 1
            }
        }
        throw fail("a string is never closed: expected '\"' before the end of the \(endName)")
    }

    private func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case ..<0x80:
            out.append(UInt8(scalar))
        case ..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
