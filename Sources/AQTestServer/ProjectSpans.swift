/// The spans and traces of one project that `POST /v2/spans` and `POST /v2/traces` search, newest first
/// (ties by id bytes), with the ids indexed so a filter of ids is looked up rather than scanned.
struct ProjectSpans: Sendable {
    private(set) var spans: [CatalogueSpan] = []
    private(set) var traces: [CatalogueTrace] = []
    /// filter field -> value -> positions in `spans`
    private var spanIndex: [String: [String: [Int]]] = [:]
    private var traceIndex: [String: [Int]] = [:]

    static let indexedSpanFields = ["context.span_id", "context.trace_id", "attributes.session.id"]

    /// A catalogued project: each span as it is, each trace as its root span, each session as one span carrying
    /// its id, at the catalogued times.
    init(times: [RecordKind: [String: Int64]]) {
        for (id, time) in times[.span] ?? [:] { spans.append(Self.span(spanID: id, at: time)) }
        for (id, time) in times[.trace] ?? [:] {
            let trace = CatalogueTrace(traceID: id, rootSpanID: SyntheticID.span("root", id), startTime: time)
            traces.append(trace)
            spans.append(CatalogueSpan(spanID: trace.rootSpanID, traceID: id, startTime: time, name: "root"))
        }
        for (id, time) in times[.session] ?? [:] { spans.append(Self.session(id, at: time)) }
        finish()
    }

    /// Without a catalogue every id is known: one object for each id an `=` of the filter names, at `time`.
    init(namedBy filter: SpanFilter?, at time: Int64) {
        var seenSpans: Set<[UInt8]> = []
        var seenTraces: Set<[UInt8]> = []
        for (field, value) in filter?.namedValues ?? [] {
            var span: CatalogueSpan? = nil
            var trace: CatalogueTrace? = nil
            switch field {
            case "context.span_id": span = Self.span(spanID: value, at: time)
            case "attributes.session.id": span = Self.session(value, at: time)
            case "context.trace_id", "trace_id":
                trace = CatalogueTrace(traceID: value, rootSpanID: SyntheticID.span("root", value), startTime: time)
                span = CatalogueSpan(
                    spanID: trace!.rootSpanID, traceID: value, startTime: time, name: "root")
            case "root_span_id":
                trace = CatalogueTrace(
                    traceID: SyntheticID.trace("trace-of-span", value), rootSpanID: value, startTime: time)
            default: break
            }
            if let span, seenSpans.insert(Array(span.spanID.utf8)).inserted { spans.append(span) }
            if let trace, seenTraces.insert(Array(trace.traceID.utf8)).inserted { traces.append(trace) }
        }
        finish()
    }

    private static func span(spanID: String, at time: Int64) -> CatalogueSpan {
        CatalogueSpan(
            spanID: spanID, traceID: SyntheticID.trace("trace-of-span", spanID), startTime: time, name: "span")
    }

    private static func session(_ id: String, at time: Int64) -> CatalogueSpan {
        CatalogueSpan(
            spanID: SyntheticID.span("session", id), traceID: SyntheticID.trace("session", id), sessionID: id,
            startTime: time, name: "session")
    }

    private mutating func finish() {
        spans.sort { Self.newerFirst($0.startTime, $0.spanID, $1.startTime, $1.spanID) }
        traces.sort { Self.newerFirst($0.startTime, $0.traceID, $1.startTime, $1.traceID) }
        for (position, span) in spans.enumerated() {
            for field in Self.indexedSpanFields {
                if let value = span.value(of: field) {
                    spanIndex[field, default: [:]][value, default: []].append(position)
                }
            }
        }
        for (position, trace) in traces.enumerated() { traceIndex[trace.traceID, default: []].append(position) }
    }

    private static func newerFirst(_ t1: Int64, _ id1: String, _ t2: Int64, _ id2: String) -> Bool {
        t1 != t2 ? t1 > t2 : id1.utf8.lexicographicallyPrecedes(id2.utf8)
    }

    /// The spans inside the window (both bounds inclusive) that the filter matches, newest first.
    func spans(matching filter: SpanFilter?, from start: Int64, through end: Int64) -> [CatalogueSpan] {
        var candidates: [Int]? = nil
        if let required = filter?.requiredValues, let index = spanIndex[required.field] {
            candidates = Set(required.values.flatMap { index[$0] ?? [] }).sorted()
        }
        return select(spans, candidates, filter, start, end, time: \.startTime, value: { $0.value(of: $1) })
    }

    /// The traces inside the window (both bounds inclusive) that the filter matches, newest first.
    func traces(matching filter: SpanFilter?, from start: Int64, through end: Int64) -> [CatalogueTrace] {
        var candidates: [Int]? = nil
        if let required = filter?.requiredValues, ["context.trace_id", "trace_id"].contains(required.field) {
            candidates = Set(required.values.flatMap { traceIndex[$0] ?? [] }).sorted()
        }
        return select(traces, candidates, filter, start, end, time: \.startTime, value: { $0.value(of: $1) })
    }

    private func select<T>(
        _ all: [T], _ candidates: [Int]?, _ filter: SpanFilter?, _ start: Int64, _ end: Int64,
        time: KeyPath<T, Int64>, value: (T, String) -> String?
    ) -> [T] {
        let pool = candidates.map { $0.map { all[$0] } } ?? all
        return pool.filter { item in
            let t = item[keyPath: time]
            return t >= start && t <= end && (filter?.matches { value(item, $0) } ?? true)
        }
    }
}
