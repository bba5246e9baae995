/// A `--where` expression bound to one input: its columns become slots in the values a reader hands
/// over for each row, and literals compared with the input's time column are read as times once.
///
/// Logic is SQL's three-valued one: a comparison with a missing value (absent, null or an empty cell)
/// is unknown, `NOT` of unknown is unknown, and only rows for which the whole expression is true pass.
/// Two values compare as numbers when both read as decimal numbers, else as text.
public struct WhereFilter: Sendable {
    /// The columns whose values `matches` expects, in this order.
    public let columns: [String]
    private let root: Node

    private indirect enum Node: Sendable {
        case and(Node, Node)
        case or(Node, Node)
        case not(Node)
        case constant(Truth)
        case compareSlot(Int, WhereComparison, Value)
        case compareSlots(Int, WhereComparison, Int)
        case compareTime(WhereComparison, Timestamp)
        case inList(Int, [Value], negated: Bool)
        case isNull(Int, negated: Bool)
        case like(Int, LikePattern, negated: Bool)
    }

    /// A literal or a cell, with its number read once.
    private struct Value: Sendable {
        var text: String
        var number: Double?

        init(_ text: String) {
            self.text = text
            self.number = SelectionNumber.read(text)
        }
    }

    enum Truth: Sendable {
        case yes, no, unknown

        init(_ value: Bool) { self = value ? .yes : .no }
    }

    /// Binds `expression` (the text `source`, for error positions) to an input whose time column is
    /// `timeColumn`. A literal compared with the time column that is not a time is an error. `slots`
    /// fixes the first columns of the values (a reader hands one list for several uses); the
    /// expression's other columns follow.
    public init(
        _ expression: WhereExpression, source: String, timeColumn: String?, slots: [String] = []
    ) throws(WhereSyntaxError) {
        var columns = slots
        func slot(_ name: String) -> Int {
            if let i = columns.firstIndex(of: name) { return i }
            columns.append(name)
            return columns.count - 1
        }
        func time(_ literal: WhereLiteral, at position: Int) throws(WhereSyntaxError) -> Timestamp {
            if case .valid(let t) = TimestampParser.parse(literal.text) { return t }
            throw WhereSyntaxError(
                expression: source, column: position,
                message:
                    "\(literal.text.debugDescription) is compared with the time column \(timeColumn!.debugDescription) but is not a time (ISO 8601 or an epoch number)"
            )
        }
        func bind(_ e: WhereExpression) throws(WhereSyntaxError) -> Node {
            switch e {
            case .and(let a, let b): return .and(try bind(a), try bind(b))
            case .or(let a, let b): return .or(try bind(a), try bind(b))
            case .not(let a): return .not(try bind(a))
            case .compare(let left, let op, let right):
                switch (left, right) {
                case (.column(let name, _), .literal(let literal, let at)) where name == timeColumn:
                    return .compareTime(op, try time(literal, at: at))
                case (.literal(let literal, let at), .column(let name, _)) where name == timeColumn:
                    return .compareTime(op.mirrored, try time(literal, at: at))
                case (.column(let name, _), .literal(let literal, _)):
                    return .compareSlot(slot(name), op, Value(literal.text))
                case (.literal(let literal, _), .column(let name, _)):
                    return .compareSlot(slot(name), op.mirrored, Value(literal.text))
                case (.column(let a, _), .column(let b, _)):
                    return .compareSlots(slot(a), op, slot(b))
                case (.literal(let a, _), .literal(let b, _)):
                    return .constant(Truth(WhereFilter.compare(Value(a.text), op, Value(b.text))))
                }
            case .inList(let operand, let values, let negated):
                let list = values.map { Value($0.text) }
                switch operand {
                case .column(let name, _): return .inList(slot(name), list, negated: negated)
                case .literal(let literal, _):
                    let found = list.contains { WhereFilter.compare(Value(literal.text), .equal, $0) }
                    return .constant(Truth(found != negated))
                }
            case .isNull(let operand, let negated):
                guard case .column(let name, _) = operand else { return .constant(Truth(negated)) }
                return .isNull(slot(name), negated: negated)
            case .like(let operand, let pattern, let negated):
                let compiled = LikePattern(pattern)
                switch operand {
                case .column(let name, _): return .like(slot(name), compiled, negated: negated)
                case .literal(let literal, _): return .constant(Truth(compiled.matches(literal.text) != negated))
                }
            }
        }
        let root = try bind(expression)
        self.columns = columns
        self.root = root
    }

    /// Whether a row passes: `values[i]` is the row's value of `columns[i]` (`nil` when missing) and
    /// `timestamp` the record's time.
    public func matches(_ values: [String?], timestamp: Timestamp?) -> Bool {
        Self.evaluate(root, values, timestamp) == .yes
    }

    private static func evaluate(_ node: Node, _ values: [String?], _ timestamp: Timestamp?) -> Truth {
        switch node {
        case .and(let a, let b):
            let left = evaluate(a, values, timestamp)
            if left == .no { return .no }
            let right = evaluate(b, values, timestamp)
            if right == .no { return .no }
            return left == .yes && right == .yes ? .yes : .unknown
        case .or(let a, let b):
            let left = evaluate(a, values, timestamp)
            if left == .yes { return .yes }
            let right = evaluate(b, values, timestamp)
            if right == .yes { return .yes }
            return left == .no && right == .no ? .no : .unknown
        case .not(let a):
            switch evaluate(a, values, timestamp) {
            case .yes: return .no
            case .no: return .yes
            case .unknown: return .unknown
            }
        case .constant(let truth):
            return truth
        case .compareSlot(let slot, let op, let literal):
            guard let cell = values[slot] else { return .unknown }
            // A literal that is no number compares as text whatever the cell holds: no need to read it.
            if literal.number == nil { return Truth(op.holds(cell, literal.text)) }
            return Truth(compare(Value(cell), op, literal))
        case .compareSlots(let a, let op, let b):
            guard let left = values[a], let right = values[b] else { return .unknown }
            return Truth(compare(Value(left), op, Value(right)))
        case .compareTime(let op, let literal):
            guard let timestamp else { return .unknown }
            return Truth(op.holds(timestamp, literal))
        case .inList(let slot, let list, let negated):
            guard let cell = values[slot] else { return .unknown }
            let value = Value(cell)
            return Truth(list.contains { compare(value, .equal, $0) } != negated)
        case .isNull(let slot, let negated):
            return Truth((values[slot] == nil) != negated)
        case .like(let slot, let pattern, let negated):
            guard let cell = values[slot] else { return .unknown }
            return Truth(pattern.matches(cell) != negated)
        }
    }

    private static func compare(_ a: Value, _ op: WhereComparison, _ b: Value) -> Bool {
        if let x = a.number, let y = b.number { return op.holds(x, y) }
        return op.holds(a.text, b.text)
    }
}

/// Reads decimal numbers only (`12`, `-3.5`, `1e6`): not `nan`, `inf` or hex, which `Double(_:)`
/// would also take.
enum SelectionNumber {
    static func read(_ text: String) -> Double? {
        var sawDigit = false
        var index = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
            case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                break
            case UInt8(ascii: " ") where index == 0:
                return nil
            default:
                return nil
            }
            index += 1
        }
        guard sawDigit else { return nil }
        return Double(text)
    }
}
