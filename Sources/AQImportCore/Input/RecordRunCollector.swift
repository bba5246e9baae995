/// Gathers a reader's run entries (`RecordBuilder.Outcome.entry`) and hands them on as
/// `ReadEvent.records` runs, one scope each, of at most `capacity` entries. Exports interleave a few
/// projects row by row, so each of the last `openLimit` scopes fills a run of its own. A reader flushes
/// every run before any other event, so that records and rejections keep the file's order.
struct RecordRunCollector {
    static let capacity = 1024
    static let openLimit = 8

    private struct OpenRun {
        var serial: Int
        var scope: Scope
        var entries: [RecordRun.Entry]
    }

    let kind: RecordKind
    private var open: [OpenRun] = []
    /// The open run the last entry went to.
    private var last = 0

    init(kind: RecordKind) {
        self.kind = kind
    }

    /// Adds an entry whose scope `builder` numbered `serial`.
    @inline(__always)
    mutating func append(
        _ entry: RecordRun.Entry, scope serial: Int, of builder: RecordBuilder, to handle: (ReadEvent) throws -> Void
    ) rethrows {
        if last >= open.count || open[last].serial != serial {
            try find(serial, of: builder, to: handle)
        }
        open[last].entries.append(entry)
        if open[last].entries.count == Self.capacity { try hand(last, to: handle) }
    }

    /// Adds an entry to the run the last entry went to, when it is of scope `serial` and stays short
    /// of `capacity`; false (nothing added) when `append(_:scope:of:to:)` must open or hand on a run.
    /// Needs neither the builder nor the handler, so a reader's row loop does not retain them.
    @inline(__always)
    mutating func appendToLast(_ entry: RecordRun.Entry, scope serial: Int) -> Bool {
        guard last < open.count, open[last].serial == serial, open[last].entries.count < Self.capacity - 1 else {
            return false
        }
        open[last].entries.append(entry)
        return true
    }

    /// Points `last` at the open run of `serial`, opened (in place of the oldest) when there is none.
    private mutating func find(_ serial: Int, of builder: RecordBuilder, to handle: (ReadEvent) throws -> Void)
        rethrows
    {
        if let k = open.firstIndex(where: { $0.serial == serial }) {
            last = k
            return
        }
        if open.count == Self.openLimit {
            try hand(0, to: handle)
            open.removeFirst()
        }
        var entries: [RecordRun.Entry] = []
        entries.reserveCapacity(Self.capacity)
        open.append(OpenRun(serial: serial, scope: builder.runScope(serial), entries: entries))
        last = open.count - 1
    }

    private mutating func hand(_ k: Int, to handle: (ReadEvent) throws -> Void) rethrows {
        guard !open[k].entries.isEmpty else { return }
        let run = RecordRun(kind: kind, scope: open[k].scope, entries: open[k].entries)
        open[k].entries = []
        open[k].entries.reserveCapacity(Self.capacity)
        try handle(.records(run))
    }

    /// Hands on every open run.
    mutating func flush(to handle: (ReadEvent) throws -> Void) rethrows {
        for k in open.indices { try hand(k, to: handle) }
    }
}
