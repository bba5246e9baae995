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

    /// Below this many entries the quicksort alone is faster than distributing them first.
    static let radixThreshold = 4096

    /// Sorts by (time, id). Large groups are distributed into 2,048 to 16,384 buckets by the highest bits
    /// in which their times differ (one counting pass, one scattering pass), and each bucket is sorted the same
    /// way, down to buckets small enough for the cache, which an in-place quicksort finishes (median of
    /// three, insertion sort for short runs, the smaller side first, the standard library's sort on a
    /// run that partitions badly). An LSD radix sort needed five scattering passes over the 52 bits that
    /// a month of nanoseconds spans, each missing the cache on nearly every write.
    static func sort(_ entries: inout [HexEntry]) {
        let n = entries.count
        guard n > 1 else { return }
        if n < radixThreshold {
            entries.withUnsafeMutableBufferPointer { quicksort($0.baseAddress!, 0, n - 1, depth: depthLimit(n)) }
            return
        }
        let spare = UnsafeMutableBufferPointer<HexEntry>.allocate(capacity: n)
        defer { spare.deallocate() }
        entries.withUnsafeMutableBufferPointer { distribute($0, spare: spare) }
    }

    private static func depthLimit(_ n: Int) -> Int { 2 * (Int.bitWidth - n.leadingZeroBitCount) }

    /// A time as an unsigned key of the same order.
    @inline(__always)
    private static func key(_ time: Int64) -> UInt64 { UInt64(bitPattern: time) ^ (1 << 63) }

    /// Sorts `entries` by bucketing on the top bits of their times' spread, then each bucket alike;
    /// `spare` (as long) is scratch.
    private static func distribute(
        _ entries: UnsafeMutableBufferPointer<HexEntry>, spare: UnsafeMutableBufferPointer<HexEntry>
    ) {
        let n = entries.count
        if n < radixThreshold {
            if n > 1 { quicksort(entries.baseAddress!, 0, n - 1, depth: depthLimit(n)) }
            return
        }
        var low = UInt64.max
        var high = UInt64.min
        for entry in entries {
            let k = key(entry.time)
            low = min(low, k)
            high = max(high, k)
        }
        let bits = UInt64.bitWidth - (high - low).leadingZeroBitCount
        guard bits > 0 else {
            // One time for all: the ids decide.
            quicksort(entries.baseAddress!, 0, n - 1, depth: depthLimit(n))
            return
        }
        // About 32 entries a bucket, from 2,048 to 16,384 buckets: the quicksort then has little to do.
        let bucketBits = min(bits, max(11, min(14, (Int.bitWidth - n.leadingZeroBitCount) - 5)))
        let shift = UInt64(bits - bucketBits)
        let buckets = 1 << bucketBits
        var starts = [Int](repeating: 0, count: buckets + 1)
        starts.withUnsafeMutableBufferPointer { starts in
            for entry in entries { starts[Int((key(entry.time) &- low) >> shift) + 1] += 1 }
            for b in 0..<buckets { starts[b + 1] += starts[b] }
            var next = Array(starts[0..<buckets])
            next.withUnsafeMutableBufferPointer { next in
                for entry in entries {
                    let b = Int((key(entry.time) &- low) >> shift)
                    spare[next[b]] = entry
                    next[b] += 1
                }
            }
            _ = entries.update(fromContentsOf: spare)
            for b in 0..<buckets where starts[b + 1] - starts[b] > 1 {
                let range = starts[b]..<starts[b + 1]
                distribute(
                    UnsafeMutableBufferPointer(rebasing: entries[range]),
                    spare: UnsafeMutableBufferPointer(rebasing: spare[range]))
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
