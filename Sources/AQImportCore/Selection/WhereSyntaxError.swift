/// A `--where` expression that cannot be read, with the 1-based column where the trouble starts.
public struct WhereSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var expression: String
    public var column: Int
    public var message: String

    public init(expression: String, column: Int, message: String) {
        self.expression = expression
        self.column = column
        self.message = message
    }

    /// The message, then the expression with a caret under the column.
    public var description: String {
        let caret = String(repeating: " ", count: max(0, column - 1)) + "^"
        return "--where: \(message) at column \(column)\n  \(expression)\n  \(caret)"
    }
}
