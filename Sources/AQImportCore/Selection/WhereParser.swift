/// Recursive descent over the tokens of a `--where` expression. Precedence, loosest first: `OR`,
/// `AND`, `NOT`, then one predicate (`a = b`, `a IN (...)`, `a IS [NOT] NULL`, `a [NOT] LIKE '...'`)
/// or a parenthesised expression.
struct WhereParser {
    private let text: String
    private var tokens: [WhereToken] = []
    private var index = 0
    private var lexError: WhereSyntaxError?

    init(_ text: String) {
        self.text = text
        do {
            tokens = try WhereLexer.tokens(text)
        } catch {
            lexError = error
        }
    }

    mutating func parse() throws(WhereSyntaxError) -> WhereExpression {
        if let lexError { throw lexError }
        if case .end = peek.kind { throw fail("the expression is empty", at: peek) }
        let expression = try parseOr()
        guard case .end = peek.kind else {
            throw fail("expected AND, OR or the end of the expression, found \(peek.description)", at: peek)
        }
        return expression
    }

    private var peek: WhereToken { tokens[index] }

    private mutating func advance() -> WhereToken {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private func fail(_ message: String, at token: WhereToken) -> WhereSyntaxError {
        WhereSyntaxError(expression: text, column: token.column, message: message)
    }

    private func isKeyword(_ word: WhereKeyword, _ token: WhereToken) -> Bool {
        if case .keyword(let k) = token.kind { return k == word }
        return false
    }

    private mutating func parseOr() throws(WhereSyntaxError) -> WhereExpression {
        var left = try parseAnd()
        while isKeyword(.or, peek) {
            _ = advance()
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws(WhereSyntaxError) -> WhereExpression {
        var left = try parseNot()
        while isKeyword(.and, peek) {
            _ = advance()
            left = .and(left, try parseNot())
        }
        return left
    }

    private mutating func parseNot() throws(WhereSyntaxError) -> WhereExpression {
        if isKeyword(.not, peek) {
            _ = advance()
            return .not(try parseNot())
        }
        if case .openParen = peek.kind {
            let open = advance()
            let inner = try parseOr()
            guard case .closeParen = peek.kind else {
                throw fail(
                    "expected ')' to close the '(' at column \(open.column), found \(peek.description)", at: peek)
            }
            _ = advance()
            return inner
        }
        return try parsePredicate()
    }

    private mutating func parseOperand(after what: String) throws(WhereSyntaxError) -> WhereOperand {
        let token = advance()
        switch token.kind {
        case .column(let name): return .column(name, position: token.column)
        case .string(let s): return .literal(.string(s), position: token.column)
        case .number(let n): return .literal(.number(n), position: token.column)
        default: throw fail("expected a column, a 'string' or a number \(what), found \(token.description)", at: token)
        }
    }

    private mutating func parseLiteral(after what: String) throws(WhereSyntaxError) -> WhereLiteral {
        let token = advance()
        switch token.kind {
        case .string(let s): return .string(s)
        case .number(let n): return .number(n)
        default: throw fail("expected a 'string' or a number \(what), found \(token.description)", at: token)
        }
    }

    private mutating func parsePredicate() throws(WhereSyntaxError) -> WhereExpression {
        let left = try parseOperand(after: "here")
        let token = advance()
        switch token.kind {
        case .comparison(let op):
            let right = try parseOperand(after: "after '\(op.rawValue)'")
            return .compare(left, op, right)
        case .keyword(.is):
            var negated = false
            if isKeyword(.not, peek) {
                _ = advance()
                negated = true
            }
            let null = advance()
            guard isKeyword(.null, null) else {
                throw fail("expected NULL after IS\(negated ? " NOT" : ""), found \(null.description)", at: null)
            }
            try requireColumn(left, "IS NULL")
            return .isNull(left, negated: negated)
        case .keyword(.not):
            let next = advance()
            if isKeyword(.in, next) { return try parseList(left, negated: true) }
            if isKeyword(.like, next) { return try parseLike(left, negated: true) }
            throw fail("expected IN or LIKE after NOT, found \(next.description)", at: next)
        case .keyword(.in):
            return try parseList(left, negated: false)
        case .keyword(.like):
            return try parseLike(left, negated: false)
        default:
            throw fail(
                "expected a comparison (=, !=, <, <=, >, >=), IN, NOT IN, IS [NOT] NULL or LIKE, found \(token.description)",
                at: token)
        }
    }

    private func requireColumn(_ operand: WhereOperand, _ what: String) throws(WhereSyntaxError) {
        if case .literal = operand {
            throw WhereSyntaxError(
                expression: text, column: operand.position, message: "\(what) needs a column on its left")
        }
    }

    private mutating func parseList(_ left: WhereOperand, negated: Bool) throws(WhereSyntaxError) -> WhereExpression {
        let open = advance()
        guard case .openParen = open.kind else {
            throw fail("expected '(' after IN, found \(open.description)", at: open)
        }
        var values: [WhereLiteral] = [try parseLiteral(after: "in the IN list")]
        while case .comma = peek.kind {
            _ = advance()
            values.append(try parseLiteral(after: "after ','"))
        }
        let close = advance()
        guard case .closeParen = close.kind else {
            throw fail("expected ',' or ')' in the IN list, found \(close.description)", at: close)
        }
        return .inList(left, values, negated: negated)
    }

    private mutating func parseLike(_ left: WhereOperand, negated: Bool) throws(WhereSyntaxError) -> WhereExpression {
        let pattern = advance()
        guard case .string(let text) = pattern.kind else {
            throw fail("expected a 'pattern' after LIKE, found \(pattern.description)", at: pattern)
        }
        return .like(left, pattern: text, negated: negated)
    }
}
