/// One stratum's share of the selection: its counts and the candidates it keeps. `.lowest(k)` keeps
/// the k lowest priorities (a max-heap on top of them, so each offer costs log k); `.below(t)` keeps
/// every priority under t (`--sample P%`); `.all` keeps everything.
struct StratumSampler {
    enum Mode {
        case all
        case lowest(Int)
        case below(UInt64)
    }

    let mode: Mode
    var population = 0
    var excluded = 0
    private var kept: [UInt64: Selector.Picked] = [:]
    /// Max-heap of the kept priorities (`.lowest` only).
    private var heap: [UInt64] = []

    init(mode: Mode) {
        self.mode = mode
    }

    var available: Int { population - excluded }

    mutating func offer(priority: UInt64, picked: Selector.Picked) {
        switch mode {
        case .all:
            kept[priority] = picked
        case .below(let threshold):
            if priority < threshold { kept[priority] = picked }
        case .lowest(let k):
            if heap.count < k {
                kept[priority] = picked
                push(priority)
            } else if let top = heap.first, priority < top {
                kept[top] = nil
                kept[priority] = picked
                replaceTop(priority)
            }
        }
    }

    /// A duplicate of a kept record: the earliest time of all its rows is the one planned.
    mutating func sawAgain(priority: UInt64, record: RecordRef) {
        guard let old = kept[priority]?.record.timestamp, let new = record.timestamp, new < old else { return }
        kept[priority]!.record.timestamp = new
    }

    /// The `count` lowest kept candidates (all when nil), lowest priority first.
    func lowest(_ count: Int?) -> [Selector.Picked] {
        let order = kept.keys.sorted()
        return order.prefix(count ?? order.count).map { kept[$0]! }
    }

    private mutating func push(_ value: UInt64) {
        heap.append(value)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[parent] < heap[i] else { break }
            heap.swapAt(parent, i)
            i = parent
        }
    }

    private mutating func replaceTop(_ value: UInt64) {
        heap[0] = value
        var i = 0
        while true {
            let l = 2 * i + 1
            let r = l + 1
            var largest = i
            if l < heap.count, heap[l] > heap[largest] { largest = l }
            if r < heap.count, heap[r] > heap[largest] { largest = r }
            if largest == i { return }
            heap.swapAt(i, largest)
            i = largest
        }
    }
}
