/// A max-heap of (free slots, host) with lazy deletion: a host's entry is pushed again whenever its free
/// slots change, and stale entries are dropped when they surface. Ties go to the earlier host.
struct SlotHeap {
    private var entries: [(free: Int, host: Int)] = []

    mutating func push(free: Int, host: Int) {
        entries.append((free, host))
        var i = entries.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.before(entries[i], entries[parent]) else { break }
            entries.swapAt(i, parent)
            i = parent
        }
    }

    /// The first entry for which `isCurrent` holds, dropping the stale ones above it.
    mutating func top(where isCurrent: (_ free: Int, _ host: Int) -> Bool) -> Int? {
        while let first = entries.first {
            if isCurrent(first.free, first.host) { return first.host }
            pop()
        }
        return nil
    }

    private mutating func pop() {
        entries.swapAt(0, entries.count - 1)
        entries.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1
            let r = l + 1
            var best = i
            if l < entries.count && Self.before(entries[l], entries[best]) { best = l }
            if r < entries.count && Self.before(entries[r], entries[best]) { best = r }
            if best == i { return }
            entries.swapAt(i, best)
            i = best
        }
    }

    private static func before(_ a: (free: Int, host: Int), _ b: (free: Int, host: Int)) -> Bool {
        a.free > b.free || (a.free == b.free && a.host < b.host)
    }
}
