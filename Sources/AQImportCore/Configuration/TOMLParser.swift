/// Reads the subset of TOML that configuration files such as `ax` profiles use: tables and dotted
/// table headers, bare, quoted and dotted keys, basic and literal strings (single- and multi-line, with
/// escapes), integers (decimal, hex, octal, binary, with `_`), floats, booleans, date-times (kept as
/// text), arrays and inline tables, and comments. Arrays of tables (`[[x]]`) are refused.
public struct TOMLParser {
    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var line = 1
    /// Tables opened by a `[header]`, which may not be opened twice.
    private var declaredTables: Set<[String]> = []
    /// Tables and values closed to further keys: inline tables and everything that is not a table.
    private var sealed: Set<[String]> = []

    public static func parse(_ text: String) throws(TOMLError) -> [String: TOMLValue] {
        var parser = TOMLParser(scalars: Array(text.unicodeScalars))
        return try parser.document()
    }

    private init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    // MARK: Document

    private mutating func document() throws(TOMLError) -> [String: TOMLValue] {
        var root: [String: TOMLValue] = [:]
        var current: [String] = []
        if peek() == "\u{FEFF}" { position += 1 }
        while true {
            skipWhitespace()
            guard let scalar = peek() else { break }
            switch scalar {
            case "#":
                skipComment()
            case "\n", "\r":
                try newline()
            case "[":
                current = try tableHeader(into: &root)
                try endOfLine()
            default:
                let key = try dottedKey()
                skipWhitespace()
                try expect("=", "expected = after the key")
                skipWhitespace()
                let value = try value()
                try insert(value, at: current + key, into: &root)
                try endOfLine()
            }
        }
        return root
    }

    private mutating func tableHeader(into root: inout [String: TOMLValue]) throws(TOMLError) -> [String] {
        position += 1
        if peek() == "[" { throw fail("arrays of tables ([[...]]) are not supported") }
        skipWhitespace()
        let path = try dottedKey()
        skipWhitespace()
        try expect("]", "expected ] to close the table header")
        guard !declaredTables.contains(path) else {
            throw fail("table [\(path.joined(separator: "."))] is defined twice")
        }
        declaredTables.insert(path)
        try ensureTable(path, in: &root)
        return path
    }

    private mutating func endOfLine() throws(TOMLError) {
        skipWhitespace()
        guard let scalar = peek() else { return }
        switch scalar {
        case "#": skipComment()
        case "\n", "\r": try newline()
        default: throw fail("unexpected \(String(scalar).debugDescription) after a value")
        }
    }

    // MARK: Tables

    private mutating func ensureTable(_ path: [String], in root: inout [String: TOMLValue]) throws(TOMLError) {
        for end in 1...path.count where sealed.contains(Array(path[..<end])) {
            throw fail("\(path[..<end].joined(separator: ".")) is already a value and cannot be extended")
        }
        try Self.update(&root, path[...], line: line) { existing throws(TOMLError) in
            switch existing {
            case nil: return .table([:])
            case .table?: return existing!
            default: throw TOMLError(line: line, message: "\(path.joined(separator: ".")) is not a table")
            }
        }
    }

    private mutating func insert(_ value: TOMLValue, at path: [String], into root: inout [String: TOMLValue])
        throws(TOMLError)
    {
        for end in 1..<path.count where sealed.contains(Array(path[..<end])) {
            throw fail("\(path[..<end].joined(separator: ".")) is already a value and cannot be extended")
        }
        if path.count > 1 { try ensureTable(Array(path.dropLast()), in: &root) }
        let line = line
        try Self.update(&root, path[...], line: line) { existing throws(TOMLError) in
            guard existing == nil else {
                throw TOMLError(line: line, message: "key \(path.joined(separator: ".")) is defined twice")
            }
            return value
        }
        sealed.insert(path)
    }

    /// Replaces the value at `path` (creating intermediate tables) with what `change` makes of it.
    private static func update(
        _ table: inout [String: TOMLValue], _ path: ArraySlice<String>, line: Int,
        _ change: (TOMLValue?) throws(TOMLError) -> TOMLValue
    ) throws(TOMLError) {
        let key = path.first!
        if path.count == 1 {
            table[key] = try change(table[key])
            return
        }
        var inner: [String: TOMLValue]
        switch table[key] {
        case nil: inner = [:]
        case .table(let existing)?: inner = existing
        default: throw TOMLError(line: line, message: "\(key) is not a table")
        }
        table[key] = nil
        try update(&inner, path.dropFirst(), line: line, change)
        table[key] = .table(inner)
    }

    // MARK: Keys

    private mutating func dottedKey() throws(TOMLError) -> [String] {
        var parts = [try simpleKey()]
        while true {
            skipWhitespace()
            guard peek() == "." else { return parts }
            position += 1
            skipWhitespace()
            parts.append(try simpleKey())
        }
    }

    private mutating func simpleKey() throws(TOMLError) -> String {
        switch peek() {
        case "\"":
            if peekAhead(1) == "\"" && peekAhead(2) == "\"" { throw fail("a key cannot be a multi-line string") }
            return try singleLineString(quote: "\"")
        case "'":
            if peekAhead(1) == "'" && peekAhead(2) == "'" { throw fail("a key cannot be a multi-line string") }
            return try singleLineString(quote: "'")
        default:
            var key = ""
            while let scalar = peek(), Self.isBareKey(scalar) {
                key.unicodeScalars.append(scalar)
                position += 1
            }
            guard !key.isEmpty else { throw fail("expected a key") }
            return key
        }
    }

    private static func isBareKey(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-": true
        default: false
        }
    }

    // MARK: Values

    private mutating func value() throws(TOMLError) -> TOMLValue {
        guard let scalar = peek() else { throw fail("expected a value") }
        switch scalar {
        case "\"":
            if peekAhead(1) == "\"" && peekAhead(2) == "\"" { return .string(try multilineString(quote: "\"")) }
            return .string(try singleLineString(quote: "\""))
        case "'":
            if peekAhead(1) == "'" && peekAhead(2) == "'" { return .string(try multilineString(quote: "'")) }
            return .string(try singleLineString(quote: "'"))
        case "[":
            return try array()
        case "{":
            return try inlineTable()
        default:
            return try bareValue()
        }
    }

    private mutating func array() throws(TOMLError) -> TOMLValue {
        position += 1
        var items: [TOMLValue] = []
        while true {
            try skipBlank()
            if peek() == "]" {
                position += 1
                return .array(items)
            }
            items.append(try value())
            try skipBlank()
            switch peek() {
            case ",": position += 1
            case "]": continue
            default: throw fail("expected , or ] in an array")
            }
        }
    }

    private mutating func inlineTable() throws(TOMLError) -> TOMLValue {
        position += 1
        var table: [String: TOMLValue] = [:]
        skipWhitespace()
        if peek() == "}" {
            position += 1
            return .table(table)
        }
        while true {
            skipWhitespace()
            let key = try dottedKey()
            skipWhitespace()
            try expect("=", "expected = after the key")
            skipWhitespace()
            let item = try value()
            let line = line
            try Self.update(&table, key[...], line: line) { existing throws(TOMLError) in
                guard existing == nil else {
                    throw TOMLError(line: line, message: "key \(key.joined(separator: ".")) is defined twice")
                }
                return item
            }
            skipWhitespace()
            switch peek() {
            case ",": position += 1
            case "}":
                position += 1
                return .table(table)
            default: throw fail("expected , or } in an inline table")
            }
        }
    }

    /// Numbers, booleans and date-times: everything up to the next delimiter.
    private mutating func bareValue() throws(TOMLError) -> TOMLValue {
        var token = ""
        while let scalar = peek(), !Self.isDelimiter(scalar) {
            token.unicodeScalars.append(scalar)
            position += 1
        }
        // A date and a time may be separated by one space: `1979-05-27 07:32:00Z`.
        if Self.isDate(token), peek() == " ", let next = peekAhead(1), ("0"..."9").contains(next) {
            position += 1
            token += "T"
            while let scalar = peek(), !Self.isDelimiter(scalar) {
                token.unicodeScalars.append(scalar)
                position += 1
            }
        }
        guard !token.isEmpty else { throw fail("expected a value") }
        switch token {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        if Self.isDate(String(token.prefix(10))) || Self.isTime(token) {
            guard token.allSatisfy({ $0.isNumber || "-:.TtZz+".contains($0) }) else {
                throw fail("invalid date-time (\(token.count) characters)")
            }
            return .dateTime(token)
        }
        if let integer = Self.integer(token) { return .integer(integer) }
        if let float = Self.float(token) { return .float(float) }
        // The token is not shown: a profile's values include keys and tokens.
        throw fail("invalid value of \(token.count) characters (strings must be quoted)")
    }

    private static func isDelimiter(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "#" || scalar == ","
            || scalar == "]" || scalar == "}"
    }

    private static func isDate(_ token: String) -> Bool {
        let chars = Array(token)
        guard chars.count == 10, chars[4] == "-", chars[7] == "-" else { return false }
        return chars.enumerated().allSatisfy { index, char in index == 4 || index == 7 || char.isASCII && char.isNumber
        }
    }

    /// A local time, `07:32:00` and the like.
    private static func isTime(_ token: String) -> Bool {
        let chars = Array(token.prefix(3))
        return chars.count == 3 && chars[0].isASCII && chars[0].isNumber && chars[1].isASCII && chars[1].isNumber
            && chars[2] == ":"
    }

    private static func validUnderscores(_ digits: Substring) -> Bool {
        !digits.isEmpty && !digits.hasPrefix("_") && !digits.hasSuffix("_") && !digits.contains("__")
    }

    private static func integer(_ token: String) -> Int? {
        var text = Substring(token)
        var radix = 10
        var sign = ""
        if text.hasPrefix("0x") || text.hasPrefix("0o") || text.hasPrefix("0b") {
            radix = text.hasPrefix("0x") ? 16 : text.hasPrefix("0o") ? 8 : 2
            text = text.dropFirst(2)
        } else {
            if text.hasPrefix("+") || text.hasPrefix("-") {
                sign = String(text.first!)
                text = text.dropFirst()
            }
            if text.count > 1 && text.hasPrefix("0") { return nil }
        }
        guard validUnderscores(text) else { return nil }
        let digits = text.filter { $0 != "_" }
        guard digits.allSatisfy({ $0.isHexDigit }) else { return nil }
        return Int(sign + digits, radix: radix)
    }

    private static func float(_ token: String) -> Double? {
        guard validUnderscores(Substring(token)),
            token.allSatisfy({ $0.isASCII && ($0.isNumber || "+-_.eE".contains($0)) }),
            token.contains(where: { $0.isNumber })
        else { return nil }
        let text = token.filter { $0 != "_" }
        let unsigned = text.drop { $0 == "+" || $0 == "-" }
        if unsigned.hasPrefix("0"), let next = unsigned.dropFirst().first, next.isNumber { return nil }
        // TOML wants digits on both sides of the point.
        if let dot = text.firstIndex(of: ".") {
            let before = text[..<dot].last
            let after = text[text.index(after: dot)...].first
            guard before?.isNumber == true, after?.isNumber == true else { return nil }
        }
        return Double(text)
    }

    // MARK: Strings

    /// A one-line basic (`"`, with escapes) or literal (`'`, without) string.
    private mutating func singleLineString(quote: Unicode.Scalar) throws(TOMLError) -> String {
        let kind = quote == "\"" ? "basic" : "literal"
        position += 1
        var out = ""
        while true {
            guard let scalar = peek() else { throw fail("unterminated string") }
            position += 1
            switch scalar {
            case quote: return out
            case "\\" where quote == "\"": out.unicodeScalars.append(try escape())
            case "\n", "\r": throw fail("a \(kind) string ends at the end of its line; close it with \(quote)")
            default: out.unicodeScalars.append(try checked(scalar))
            }
        }
    }

    /// A multi-line basic (`"""`, with escapes) or literal (`'''`, without) string.
    private mutating func multilineString(quote: Unicode.Scalar) throws(TOMLError) -> String {
        let escapes = quote == "\""
        position += 3
        try skipFirstNewline()
        var out = ""
        while true {
            guard let scalar = peek() else { throw fail("unterminated multi-line string") }
            if scalar == quote && peekAhead(1) == quote && peekAhead(2) == quote {
                position += 3
                // Up to two quotes may stand right before the closing three.
                while peek() == quote {
                    out.unicodeScalars.append(quote)
                    position += 1
                }
                return out
            }
            position += 1
            switch scalar {
            case "\\" where escapes:
                if let next = peek(), next == " " || next == "\t" || next == "\n" || next == "\r" {
                    try skipLineEndingBackslash()
                } else {
                    out.unicodeScalars.append(try escape())
                }
            case "\n":
                line += 1
                out.append("\n")
            case "\r":
                guard peek() == "\n" else { throw fail("a lone carriage return is not allowed") }
            default: out.unicodeScalars.append(try checked(scalar))
            }
        }
    }

    private mutating func skipFirstNewline() throws(TOMLError) {
        if peek() == "\r" && peekAhead(1) == "\n" { position += 1 }
        if peek() == "\n" {
            position += 1
            line += 1
        }
    }

    /// A `\` at the end of a line in a multi-line basic string drops the newline and the blanks after it.
    private mutating func skipLineEndingBackslash() throws(TOMLError) {
        var sawNewline = false
        while let scalar = peek(), scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
            if scalar == "\n" {
                sawNewline = true
                line += 1
            }
            position += 1
        }
        guard sawNewline else { throw fail("invalid escape \\ followed by a blank") }
    }

    private mutating func escape() throws(TOMLError) -> Unicode.Scalar {
        guard let scalar = peek() else { throw fail("unterminated escape") }
        position += 1
        switch scalar {
        case "b": return "\u{08}"
        case "t": return "\t"
        case "n": return "\n"
        case "f": return "\u{0C}"
        case "r": return "\r"
        case "e": return "\u{1B}"
        case "\"": return "\""
        case "\\": return "\\"
        case "u": return try unicodeEscape(digits: 4)
        case "U": return try unicodeEscape(digits: 8)
        default: throw fail("invalid escape \\\(scalar)")
        }
    }

    private mutating func unicodeEscape(digits: Int) throws(TOMLError) -> Unicode.Scalar {
        var text = ""
        for _ in 0..<digits {
            guard let scalar = peek(), scalar.properties.isASCIIHexDigit else {
                throw fail("\\u needs \(digits) hex digits")
            }
            text.unicodeScalars.append(scalar)
            position += 1
        }
        guard let code = UInt32(text, radix: 16), let scalar = Unicode.Scalar(code) else {
            throw fail("a \\u escape that is not a Unicode scalar value")
        }
        return scalar
    }

    private func checked(_ scalar: Unicode.Scalar) throws(TOMLError) -> Unicode.Scalar {
        if scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F {
            throw fail("control character U+\(String(scalar.value, radix: 16, uppercase: true)) in a string")
        }
        return scalar
    }

    // MARK: Scanning

    private func peek() -> Unicode.Scalar? {
        position < scalars.count ? scalars[position] : nil
    }

    private func peekAhead(_ offset: Int) -> Unicode.Scalar? {
        position + offset < scalars.count ? scalars[position + offset] : nil
    }

    private mutating func expect(_ scalar: Unicode.Scalar, _ message: String) throws(TOMLError) {
        guard peek() == scalar else { throw fail(message) }
        position += 1
    }

    private mutating func skipWhitespace() {
        while let scalar = peek(), scalar == " " || scalar == "\t" { position += 1 }
    }

    private mutating func skipComment() {
        while let scalar = peek(), scalar != "\n" && scalar != "\r" { position += 1 }
    }

    private mutating func newline() throws(TOMLError) {
        if peek() == "\r" {
            position += 1
            guard peek() == "\n" else { throw fail("a lone carriage return is not allowed") }
        }
        position += 1
        line += 1
    }

    /// Whitespace, newlines and comments, as allowed between the items of an array.
    private mutating func skipBlank() throws(TOMLError) {
        while let scalar = peek() {
            switch scalar {
            case " ", "\t": position += 1
            case "#": skipComment()
            case "\n", "\r": try newline()
            default: return
            }
        }
    }

    private func fail(_ message: String) -> TOMLError {
        TOMLError(line: line, message: message)
    }
}
