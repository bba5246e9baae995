/// A parsed `filter` of `POST /v2/spans` and `POST /v2/traces`: `=` and `!=` comparisons of a field with a
/// quoted string, joined by `AND` and `OR`. A field the object does not carry compares false either way, as a
/// SQL null does. Chains of `AND` or `OR` are kept flat, so a filter of thousands of ids nests no deeper than
/// its parentheses.
indirect enum SpanFilter: Sendable, Equatable {
    case comparison(field: String, equal: Bool, value: String)
    case all([SpanFilter])
    case any([SpanFilter])

    func matches(_ value: (String) -> String?) -> Bool {
        switch self {
        case .comparison(let field, let equal, let expected):
            guard let actual = value(field) else { return false }
            // Compared by bytes: ids are opaque, and String equality would merge canonically equivalent ones.
            return actual.utf8.elementsEqual(expected.utf8) == equal
        case .all(let filters): return filters.allSatisfy { $0.matches(value) }
        case .any(let filters): return filters.contains { $0.matches(value) }
        }
    }

    /// Every value an `=` comparison names, with its field, in filter order.
    var namedValues: [(field: String, value: String)] {
        switch self {
        case .comparison(let field, let equal, let value): return equal ? [(field, value)] : []
        case .all(let filters), .any(let filters): return filters.flatMap(\.namedValues)
        }
    }

    /// A field and values one of which every match must have, when the filter says so: the quick path for
    /// `context.span_id = 'a' OR context.span_id = 'b'`, looked up instead of scanned.
    var requiredValues: (field: String, values: [String])? {
        switch self {
        case .comparison(let field, let equal, let value): return equal ? (field, [value]) : nil
        case .all(let filters): return filters.lazy.compactMap(\.requiredValues).first
        case .any(let filters):
            var field: String? = nil
            var values: [String] = []
            for filter in filters {
                guard let required = filter.requiredValues, field == nil || field == required.field else { return nil }
                field = required.field
                values += required.values
            }
            return field.map { ($0, values) }
        }
    }
}
