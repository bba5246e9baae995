/// The distinct ids of one (kind, scope), each with its earliest timestamp, in compact form: a 16-hex-char
/// id costs one slot of a `HexIDTable` (a `UInt64` key and an `Int64` time, 20 to 28 bytes with the
/// table's slack), any other id its text plus an `Int64` in a dictionary keyed by its exact bytes.
struct RecordGroup: Sendable {
    /// Stands for "no timestamp"; sorts after every real one, so a real timestamp wins over none.
    static let untimed = Int64.max

    let kind: RecordKind
    let scope: Scope
    private(set) var hexIDs = HexIDTable()
    private(set) var textIDs: [ExactText: Int64] = [:]

    init(kind: RecordKind, scope: Scope) {
        self.kind = kind
        self.scope = scope
    }

    var count: Int { hexIDs.count + textIDs.count }

    /// Adds an id or, when it is already there, keeps the earlier of the two timestamps: a trace id comes
    /// on every span row of its trace, and the earliest is its root span's start, where the server finds it.
    @inline(__always)
    mutating func insert(_ id: RecordID, time: Int64) -> (inserted: Bool, retimed: Bool) {
        switch id {
        case .hex64(let value):
            guard let old = hexIDs.insertKeepingEarliest(value, time: time) else { return (true, false) }
            return (false, old != time)
        case .text(let text):
            let value = ExactText(text)
            guard let old = textIDs.updateValue(time, forKey: value) else { return (true, false) }
            if old < time { textIDs[value] = old }
            return (false, old != time)
        }
    }

    /// Adds a run's entries (`HexIDTable.insertKeepingEarliest(_:accepted:)`).
    mutating func insert(
        _ entries: UnsafeBufferPointer<RecordRun.Entry>, accepted: ClosedRange<Int64>?
    ) -> (inserted: Int, retimed: Int) {
        hexIDs.insertKeepingEarliest(entries, accepted: accepted)
    }

    @inline(__always)
    func prefetch(_ id: RecordID) {
        if case .hex64(let value) = id { hexIDs.prefetch(value) }
    }

    /// The ids ordered by (timestamp, id), untimed ones last.
    func sorted() -> SortedIDs {
        var hex: [SortedIDs.HexEntry] = []
        hex.reserveCapacity(hexIDs.count)
        hexIDs.forEach { id, time in hex.append(SortedIDs.HexEntry(time: time, id: id)) }
        SortedIDs.sort(&hex)
        if textIDs.isEmpty { return SortedIDs(hex: hex) }

        var text = textIDs.map { (time: $0.value, id: $0.key) }
        text.sort { ($0.time, $0.id) < ($1.time, $1.id) }

        var ids: [RecordID] = []
        var times: [Int64] = []
        ids.reserveCapacity(count)
        times.reserveCapacity(count)
        var h = 0
        var t = 0
        while h < hex.count || t < text.count {
            // Lowercase hex text orders the same as its value, so the merge agrees with RecordID's `<`.
            let takeHex: Bool
            if h == hex.count {
                takeHex = false
            } else if t == text.count {
                takeHex = true
            } else if hex[h].time != text[t].time {
                takeHex = hex[h].time < text[t].time
            } else {
                takeHex = ExactText.less(RecordID.hex64(hex[h].id).text, text[t].id.string)
            }
            if takeHex {
                ids.append(.hex64(hex[h].id))
                times.append(hex[h].time)
                h += 1
            } else {
                ids.append(.text(text[t].id.string))
                times.append(text[t].time)
                t += 1
            }
        }
        return SortedIDs(ids: ids, times: times)
    }
}
