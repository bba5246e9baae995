/// Splits a refused request's ids in two halves that are each a valid request on their own: every
/// source keeps its kind, scope and window and only its ids are divided, and no source is left empty
/// (an EXAMPLE source without ids would add the whole dataset).
public enum Bisection {
    /// The two halves, or `nil` when there is a single id left (nothing to split).
    public static func split(_ sources: [RecordSource]) -> (first: [RecordSource], second: [RecordSource])? {
        let total = sources.reduce(0) { $0 + $1.ids.count }
        guard total > 1 else { return nil }
        var remaining = total / 2
        var first: [RecordSource] = []
        var second: [RecordSource] = []
        for source in sources {
            let taken = min(remaining, source.ids.count)
            remaining -= taken
            if taken > 0 {
                var part = source
                part.ids = Array(source.ids[..<taken])
                first.append(part)
            }
            if taken < source.ids.count {
                var part = source
                part.ids = Array(source.ids[taken...])
                second.append(part)
            }
        }
        return (first, second)
    }
}
