/// Splits a `--where` expression into tokens. Columns count Unicode scalars from 1, so a caret under
/// the expression points at the right place for the text people type.
enum WhereLexer {
    static func tokens(_ expression: String) throws(WhereSyntaxError) -> [WhereToken] {
        let scalars = Array(expression.unicodeScalars)
        var tokens: [WhereToken] = []
        var i = 0
        func fail(_ message: String, at index: Int) -> WhereSyntaxError {
            WhereSyntaxError(expression: expression, column: index + 1, message: message)
        }
        func isDigit(_ s: Unicode.Scalar) -> Bool { s >= "0" && s <= "9" }
        func isNameStart(_ s: Unicode.Scalar) -> Bool {
            (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || s == "_"
        }
        func isNamePart(_ s: Unicode.Scalar) -> Bool { isNameStart(s) || isDigit(s) || s == "." }

        while i < scalars.count {
            let c = scalars[i]
            let start = i
            switch c {
            case " ", "\t", "\n", "\r":
                i += 1
            case "(":
                tokens.append(WhereToken(kind: .openParen, column: start + 1))
                i += 1
            case ")":
                tokens.append(WhereToken(kind: .closeParen, column: start + 1))
                i += 1
            case ",":
                tokens.append(WhereToken(kind: .comma, column: start + 1))
                i += 1
            case "=":
                tokens.append(WhereToken(kind: .comparison(.equal), column: start + 1))
                i += 1
            case "!":
                guard i + 1 < scalars.count, scalars[i + 1] == "=" else {
                    throw fail("'!' must be followed by '=' (write != for not equal)", at: start)
                }
                tokens.append(WhereToken(kind: .comparison(.notEqual), column: start + 1))
                i += 2
            case "<":
                if i + 1 < scalars.count, scalars[i + 1] == "=" {
                    tokens.append(WhereToken(kind: .comparison(.lessOrEqual), column: start + 1))
                    i += 2
                } else if i + 1 < scalars.count, scalars[i + 1] == ">" {
                    tokens.append(WhereToken(kind: .comparison(.notEqual), column: start + 1))
                    i += 2
                } else {
                    tokens.append(WhereToken(kind: .comparison(.less), column: start + 1))
                    i += 1
                }
            case ">":
                if i + 1 < scalars.count, scalars[i + 1] == "=" {
                    tokens.append(WhereToken(kind: .comparison(.greaterOrEqual), column: start + 1))
                    i += 2
                } else {
                    tokens.append(WhereToken(kind: .comparison(.greater), column: start + 1))
                    i += 1
                }
            case "'", "\"":
                // '' inside a string (and "" inside a quoted name) stands for one quote.
                var text = String.UnicodeScalarView()
                i += 1
                var closed = false
                while i < scalars.count {
                    if scalars[i] == c {
                        if i + 1 < scalars.count, scalars[i + 1] == c {
                            text.append(c)
                            i += 2
                            continue
                        }
                        i += 1
                        closed = true
                        break
                    }
                    text.append(scalars[i])
                    i += 1
                }
                guard closed else {
                    throw fail(
                        c == "'" ? "a string is never closed with '" : "a quoted column name is never closed with \"",
                        at: start)
                }
                let value = String(text)
                if c == "\"" {
                    guard !value.isEmpty else { throw fail("an empty column name", at: start) }
                    tokens.append(WhereToken(kind: .column(value), column: start + 1))
                } else {
                    tokens.append(WhereToken(kind: .string(value), column: start + 1))
                }
            default:
                if isDigit(c)
                    || ((c == "-" || c == "+" || c == ".") && i + 1 < scalars.count
                        && (isDigit(scalars[i + 1]) || scalars[i + 1] == "."))
                {
                    var j = i
                    if scalars[j] == "-" || scalars[j] == "+" { j += 1 }
                    var digits = 0
                    while j < scalars.count, isDigit(scalars[j]) {
                        j += 1
                        digits += 1
                    }
                    if j < scalars.count, scalars[j] == "." {
                        j += 1
                        while j < scalars.count, isDigit(scalars[j]) {
                            j += 1
                            digits += 1
                        }
                    }
                    guard digits > 0 else { throw fail("a number needs digits", at: start) }
                    if j < scalars.count, scalars[j] == "e" || scalars[j] == "E" {
                        var k = j + 1
                        if k < scalars.count, scalars[k] == "-" || scalars[k] == "+" { k += 1 }
                        guard k < scalars.count, isDigit(scalars[k]) else {
                            throw fail("a number's exponent needs digits", at: j)
                        }
                        while k < scalars.count, isDigit(scalars[k]) { k += 1 }
                        j = k
                    }
                    if j < scalars.count, isNamePart(scalars[j]) {
                        throw fail(
                            "a number runs into a name (put a column name that starts with a digit in double quotes)",
                            at: start)
                    }
                    var text = String.UnicodeScalarView()
                    text.append(contentsOf: scalars[i..<j])
                    tokens.append(WhereToken(kind: .number(String(text)), column: start + 1))
                    i = j
                } else if isNameStart(c) {
                    var j = i
                    while j < scalars.count, isNamePart(scalars[j]) { j += 1 }
                    var text = String.UnicodeScalarView()
                    text.append(contentsOf: scalars[i..<j])
                    let word = String(text)
                    if let keyword = WhereKeyword(rawValue: word.uppercased()) {
                        tokens.append(WhereToken(kind: .keyword(keyword), column: start + 1))
                    } else {
                        tokens.append(WhereToken(kind: .column(word), column: start + 1))
                    }
                    i = j
                } else {
                    throw fail(
                        "unexpected character '\(c)' (a column name with other characters goes in double quotes)",
                        at: start)
                }
            }
        }
        tokens.append(WhereToken(kind: .end, column: scalars.count + 1))
        return tokens
    }
}
