/// A parsed `--where` expression: the syntax tree, before it is bound to an input's columns.
public indirect enum WhereExpression: Sendable, Hashable {
    case and(WhereExpression, WhereExpression)
    case or(WhereExpression, WhereExpression)
    case not(WhereExpression)
    case compare(WhereOperand, WhereComparison, WhereOperand)
    case inList(WhereOperand, [WhereLiteral], negated: Bool)
    case isNull(WhereOperand, negated: Bool)
    case like(WhereOperand, pattern: String, negated: Bool)

    /// Reads an expression; a syntax error names the column where it happens.
    public static func parse(_ text: String) throws(WhereSyntaxError) -> WhereExpression {
        var parser = WhereParser(text)
        return try parser.parse()
    }

    /// Every column the expression names, in order of first appearance.
    public var columns: [String] {
        var names: [String] = []
        func visit(_ operand: WhereOperand) {
            if case .column(let name, _) = operand, !names.contains(name) { names.append(name) }
        }
        func walk(_ e: WhereExpression) {
            switch e {
            case .and(let a, let b), .or(let a, let b):
                walk(a)
                walk(b)
            case .not(let a): walk(a)
            case .compare(let l, _, let r):
                visit(l)
                visit(r)
            case .inList(let o, _, _), .isNull(let o, _), .like(let o, _, _): visit(o)
            }
        }
        walk(self)
        return names
    }
}

/// One side of a comparison: a column or a literal, with the column of the expression it starts at.
public enum WhereOperand: Sendable, Hashable {
    case column(String, position: Int)
    case literal(WhereLiteral, position: Int)

    var position: Int {
        switch self {
        case .column(_, let p), .literal(_, let p): p
        }
    }
}

public enum WhereLiteral: Sendable, Hashable {
    case string(String)
    /// A number's literal text.
    case number(String)

    var text: String {
        switch self {
        case .string(let s), .number(let s): s
        }
    }
}

public enum WhereComparison: String, Sendable, Hashable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="

    /// The comparison read from the other side: `3 < x` is `x > 3`.
    var mirrored: WhereComparison {
        switch self {
        case .equal, .notEqual: self
        case .less: .greater
        case .lessOrEqual: .greaterOrEqual
        case .greater: .less
        case .greaterOrEqual: .lessOrEqual
        }
    }

    func holds<T: Comparable>(_ a: T, _ b: T) -> Bool {
        switch self {
        case .equal: a == b
        case .notEqual: a != b
        case .less: a < b
        case .lessOrEqual: a <= b
        case .greater: a > b
        case .greaterOrEqual: a >= b
        }
    }
}
