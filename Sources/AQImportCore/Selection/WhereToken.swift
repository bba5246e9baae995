/// One token of a `--where` expression, with the 1-based column (in characters) where it starts.
struct WhereToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// A bare column name (dotted names as they are) or one in double quotes.
        case column(String)
        case string(String)
        /// A number, as its literal text.
        case number(String)
        case comparison(WhereComparison)
        case keyword(WhereKeyword)
        case openParen
        case closeParen
        case comma
        case end
    }

    var kind: Kind
    var column: Int

    /// How the token is named in a message.
    var description: String {
        switch kind {
        case .column(let name): "column \(name.debugDescription)"
        case .string(let text): "'\(text)'"
        case .number(let text): text
        case .comparison(let op): "'\(op.rawValue)'"
        case .keyword(let word): word.rawValue
        case .openParen: "'('"
        case .closeParen: "')'"
        case .comma: "','"
        case .end: "the end of the expression"
        }
    }
}

/// The reserved words of the grammar; any case is accepted.
enum WhereKeyword: String, Sendable, Hashable, CaseIterable {
    case and = "AND"
    case or = "OR"
    case not = "NOT"
    case `in` = "IN"
    case `is` = "IS"
    case null = "NULL"
    case like = "LIKE"
}
