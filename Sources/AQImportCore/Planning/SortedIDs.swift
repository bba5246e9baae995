/// One group's distinct ids in (timestamp, id) order, untimed ones last. A group of 16-hex-char ids
/// only (the common case) stays as (time, id) pairs, 16 bytes each, instead of an array of `RecordID`
/// (24 bytes each) beside an array of times; ids become `RecordID`s only as requests take them.
struct SortedIDs: Sendable {
    struct HexEntry: Sendable {
        var time: Int64
        var id: UInt64
    }

    /// The times, for cutting windows.
    struct Times: RandomAccessCollection, Sendable {
        fileprivate let owner: SortedIDs
        var startIndex: Int { 0 }
        var endIndex: Int { owner.count }
        subscript(position: Int) -> Int64 { owner.time(at: position) }
    }

    private let hex: [HexEntry]
    private let mixedIDs: [RecordID]
    private let mixedTimes: [Int64]
    private let isMixed: Bool

    init(hex: [HexEntry]) {
        self.hex = hex
        mixedIDs = []
        mixedTimes = []
        isMixed = false
    }

    init(ids: [RecordID], times: [Int64]) {
        hex = []
        mixedIDs = ids
        mixedTimes = times
        isMixed = true
    }

    var count: Int { isMixed ? mixedTimes.count : hex.count }

    var times: Times { Times(owner: self) }

    @inline(__always)
    func time(at index: Int) -> Int64 {
        isMixed ? mixedTimes[index] : hex[index].time
    }

    func ids(_ range: Range<Int>) -> [RecordID] {
        if isMixed { return Array(mixedIDs[range]) }
        return hex[range].map { .hex64($0.id) }
    }

    /// Below this many entries the quicksort is faster than the radix sort's passes.
    static let radixThreshold = 4096

    /// Sorts by (time, id). Large groups go through an LSD radix sort on the time (11 bits a pass, only
    /// over the bits in which the times differ), then each run of equal times is sorted by id; small
    /// ones through an in-place quicksort (median of three, insertion sort for short runs, the smaller
    /// side first), which falls back to the standard library's sort on a run that partitions badly.
    static func sort(_ entries: inout [HexEntry]) {
        if entries.count >= radixThreshold {
            radixSortByTime(&entries)
            sortEqualTimesByID(&entries)
            return
        }
        entries.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress, buffer.count > 1 else { return }
            quicksort(base, 0, buffer.count - 1, depth: 2 * (Int.bitWidth - buffer.count.leadingZeroBitCount))
        }
    }

    /// A time as an unsigned key of the same order.
    @inline(__always)
    private static func key(_ time: Int64) -> UInt64 { UInt64(bitPattern: time) ^ (1 << 63) }

    private static func radixSortByTime(_ entries: inout [HexEntry]) {
        let n = entries.count
        var low = UInt64.max
        var high = UInt64.min
        for entry in entries {
            let k = key(entry.time)
            low = min(low, k)
            high = max(high, k)
        }
        let bits = UInt64.bitWidth - (high - low).leadingZeroBitCount
        guard bits > 0 else { return }
        let digitBits = 11
        let buckets = 1 << digitBits
        let mask = UInt64(buckets - 1)
        var spare = [HexEntry](repeating: HexEntry(time: 0, id: 0), count: n)
        var counts = [Int](repeating: 0, count: buckets)
        var shift = 0
        while shift < bits {
            let s = UInt64(shift)
            entries.withUnsafeBufferPointer { from in
                spare.withUnsafeMutableBufferPointer { to in
                    counts.withUnsafeMutableBufferPointer { count in
                        for b in 0..<buckets { count[b] = 0 }
                        for entry in from { count[Int(((key(entry.time) &- low) >> s) & mask)] += 1 }
                        var sum = 0
                        for b in 0..<buckets {
                            let c = count[b]
                            count[b] = sum
                            sum += c
                        }
                        for entry in from {
                            let b = Int(((key(entry.time) &- low) >> s) & mask)
                            to[count[b]] = entry
                            count[b] += 1
                        }
                    }
                }
            }
            Swift.swap(&entries, &spare)
            shift += digitBits
        }
    }

    /// Orders each run of equal times by id (the radix sort left them in table order).
    private static func sortEqualTimesByID(_ entries: inout [HexEntry]) {
        entries.withUnsafeMutableBufferPointer { buffer in
            let n = buffer.count
            var i = 0
            while i < n {
                var j = i + 1
                while j < n && buffer[j].time == buffer[i].time { j += 1 }
                if j - i > 1 {
                    var run = UnsafeMutableBufferPointer(rebasing: buffer[i..<j])
                    run.sort { $0.id < $1.id }
                }
                i = j
            }
        }
    }

    @inline(__always)
    private static func less(_ a: HexEntry, _ b: HexEntry) -> Bool {
        a.time != b.time ? a.time < b.time : a.id < b.id
    }

    private static func quicksort(_ a: UnsafeMutablePointer<HexEntry>, _ low: Int, _ high: Int, depth limit: Int) {
        var depth = limit
        var lo = low
        var hi = high
        while hi - lo > 16 {
            if depth == 0 {
                var rest = UnsafeMutableBufferPointer(start: a + lo, count: hi - lo + 1)
                rest.sort(by: less)
                return
            }
            depth -= 1
            let mid = lo + (hi - lo) / 2
            if less(a[mid], a[lo]) { swap(a, mid, lo) }
            if less(a[hi], a[lo]) { swap(a, hi, lo) }
            if less(a[hi], a[mid]) { swap(a, hi, mid) }
            let pivot = a[mid]
            var i = lo
            var j = hi
            while i <= j {
                while less(a[i], pivot) { i += 1 }
                while less(pivot, a[j]) { j -= 1 }
                if i <= j {
                    swap(a, i, j)
                    i += 1
                    j -= 1
                }
            }
            if j - lo < hi - i {
                quicksort(a, lo, j, depth: depth)
                lo = i
            } else {
                quicksort(a, i, hi, depth: depth)
                hi = j
            }
        }
        if lo < hi {
            for k in (lo + 1)...hi {
                let item = a[k]
                var m = k - 1
                while m >= lo && less(item, a[m]) {
                    a[m + 1] = a[m]
                    m -= 1
                }
                a[m + 1] = item
            }
        }
    }

    @inline(__always)
    private static func swap(_ a: UnsafeMutablePointer<HexEntry>, _ i: Int, _ j: Int) {
        let t = a[i]
        a[i] = a[j]
        a[j] = t
    }
}
