/// Parses the filter subset the double understands:
///
///     filter     := or
///     or         := and ("OR" and)*
///     and        := primary ("AND" primary)*
///     primary    := "(" or ")" | field ("=" | "!=") string
///     string     := "'" (any character, "''" for a quote)* "'"
///
/// Keywords in any case; fields are dotted names from `fields`. Anything else (`<`, `LIKE`, `NOT`, numbers,
/// double quotes, unknown fields, parentheses nested deeper than `maxDepth`) is a 400 problem naming the
/// character position.
struct SpanFilterParser {
    static let maxDepth = 64

    private enum Token: Equatable {
        case word(String)
        case string(String)
        case equal
        case notEqual
        case open
        case close
        case end
    }

    private let fields: [String]
    private var tokens: [(token: Token, position: Int)] = []
    private var index = 0
    private var depth = 0

    static func parse(_ text: String, fields: [String]) throws(Problem) -> SpanFilter {
        var parser = SpanFilterParser(fields: fields)
        try parser.tokenize(Array(text.unicodeScalars))
        let filter = try parser.parseOr()
        if parser.current != .end { throw parser.unexpected("AND, OR or the end of the filter") }
        return filter
    }

    private init(fields: [String]) {
        self.fields = fields
    }

    private static func problem(_ detail: String) -> Problem {
        .badRequest(
            "unsupported-filter",
            "filter: \(detail); this server understands field = 'text', field != 'text', AND, OR and parentheses")
    }

    private mutating func tokenize(_ scalars: [Unicode.Scalar]) throws(Problem) {
        var i = 0
        func isWordStart(_ c: Unicode.Scalar) -> Bool { c == "_" || (c.isASCII && c.properties.isAlphabetic) }
        func isWord(_ c: Unicode.Scalar) -> Bool { isWordStart(c) || c == "." || ("0"..."9").contains(c) }
        while i < scalars.count {
            let c = scalars[i]
            let position = i + 1
            switch c {
            case " ", "\t", "\n", "\r":
                i += 1
            case "(":
                tokens.append((.open, position))
                i += 1
            case ")":
                tokens.append((.close, position))
                i += 1
            case "=":
                tokens.append((.equal, position))
                i += 1
            case "!" where i + 1 < scalars.count && scalars[i + 1] == "=":
                tokens.append((.notEqual, position))
                i += 2
            case "'":
                var text = String.UnicodeScalarView()
                i += 1
                while true {
                    guard i < scalars.count else {
                        throw Self.problem("the string opened at character \(position) is never closed")
                    }
                    if scalars[i] == "'" {
                        if i + 1 < scalars.count, scalars[i + 1] == "'" {
                            text.append("'")
                            i += 2
                            continue
                        }
                        i += 1
                        break
                    }
                    text.append(scalars[i])
                    i += 1
                }
                tokens.append((.string(String(text)), position))
            default:
                guard isWordStart(c) else {
                    throw Self.problem("unexpected \"\(Character(c))\" at character \(position)")
                }
                var word = String.UnicodeScalarView()
                while i < scalars.count, isWord(scalars[i]) {
                    word.append(scalars[i])
                    i += 1
                }
                tokens.append((.word(String(word)), position))
            }
        }
        tokens.append((.end, scalars.count + 1))
    }

    private var current: Token { tokens[index].token }

    private func unexpected(_ expected: String) -> Problem {
        let (token, position) = tokens[index]
        let found: String
        switch token {
        case .word(let word): found = "\"\(word)\""
        case .string(let text): found = "the string '\(text)'"
        case .equal: found = "\"=\""
        case .notEqual: found = "\"!=\""
        case .open: found = "\"(\""
        case .close: found = "\")\""
        case .end: found = "the end of the filter"
        }
        return Self.problem("expected \(expected) at character \(position), found \(found)")
    }

    private func isKeyword(_ keyword: String) -> Bool {
        if case .word(let word) = current { return word.uppercased() == keyword }
        return false
    }

    private mutating func parseOr() throws(Problem) -> SpanFilter {
        var filters = [try parseAnd()]
        while isKeyword("OR") {
            index += 1
            filters.append(try parseAnd())
        }
        return filters.count == 1 ? filters[0] : .any(filters)
    }

    private mutating func parseAnd() throws(Problem) -> SpanFilter {
        var filters = [try parsePrimary()]
        while isKeyword("AND") {
            index += 1
            filters.append(try parsePrimary())
        }
        return filters.count == 1 ? filters[0] : .all(filters)
    }

    private mutating func parsePrimary() throws(Problem) -> SpanFilter {
        if current == .open {
            guard depth < Self.maxDepth else {
                throw Self.problem(
                    "parentheses nested deeper than \(Self.maxDepth) at character \(tokens[index].position)")
            }
            index += 1
            depth += 1
            let inner = try parseOr()
            guard current == .close else { throw unexpected("\")\"") }
            index += 1
            depth -= 1
            return inner
        }
        guard case .word(let field) = current, !isKeyword("AND"), !isKeyword("OR") else {
            throw unexpected("a field or \"(\"")
        }
        guard fields.contains(field) else {
            throw Self.problem(
                "unknown field \"\(field)\" at character \(tokens[index].position) (known: "
                    + fields.joined(separator: ", ") + ")")
        }
        index += 1
        let equal: Bool
        switch current {
        case .equal: equal = true
        case .notEqual: equal = false
        default: throw unexpected("= or !=")
        }
        index += 1
        guard case .string(let value) = current else { throw unexpected("a single-quoted string") }
        index += 1
        return .comparison(field: field, equal: equal, value: value)
    }
}
