/// A parsed `filter` of `POST /v2/spans` and `POST /v2/traces`: `=` and `!=` comparisons of a field with a
/// quoted string, joined by `AND` and `OR`. A field the object does not carry compares false either way, as a
/// SQL null does.
indirect enum SpanFilter: Sendable, Equatable {
    case comparison(field: String, equal: Bool, value: String)
    case and(SpanFilter, SpanFilter)
    case or(SpanFilter, SpanFilter)

    func matches(_ value: (String) -> String?) -> Bool {
        switch self {
        case .comparison(let field, let equal, let expected):
            guard let actual = value(field) else { return false }
            // Compared by bytes: ids are opaque, and String equality would merge canonically equivalent ones.
            return actual.utf8.elementsEqual(expected.utf8) == equal
        case .and(let left, let right): return left.matches(value) && right.matches(value)
        case .or(let left, let right): return left.matches(value) || right.matches(value)
        }
    }

    /// Every value an `=` comparison names, with its field, in filter order.
    var namedValues: [(field: String, value: String)] {
        switch self {
        case .comparison(let field, let equal, let value): return equal ? [(field, value)] : []
        case .and(let left, let right), .or(let left, let right): return left.namedValues + right.namedValues
        }
    }

    /// A field and values one of which every match must have, when the filter says so: the quick path for
    /// `context.span_id = 'a' OR context.span_id = 'b'`, looked up instead of scanned.
    var requiredValues: (field: String, values: [String])? {
        switch self {
        case .comparison(let field, let equal, let value): return equal ? (field, [value]) : nil
        case .and(let left, let right): return left.requiredValues ?? right.requiredValues
        case .or(let left, let right):
            guard let l = left.requiredValues, let r = right.requiredValues, l.field == r.field else { return nil }
            return (l.field, l.values + r.values)
        }
    }
}
