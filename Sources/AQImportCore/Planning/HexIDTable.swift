import CPrefetch

/// The 16-hex-char ids of one group, each with its earliest timestamp: an open-addressing hash table of
/// 16-byte slots (linear probing, at most 3/4 full, grown by half rather than doubled), 21 to 32 bytes
/// per id where a `Dictionary<UInt64, Int64>` takes 21 to 43 (power-of-two buckets) and hashes with
/// SipHash. Key 0 marks an empty slot; the id 0 itself is kept aside.
struct HexIDTable: Sendable {
    struct Slot: Sendable {
        var key: UInt64
        var time: Int64
    }

    private static let maxLoad = 0.75
    private var slots: [Slot] = []
    private var zeroTime: Int64?
    private(set) var count = 0
    private var growAt = 0
    /// Slots in use (`count` without the id 0).
    private var used = 0

    /// Ids it holds before it grows (the test of compact storage reads it like a dictionary's).
    var capacity: Int { Int(Double(slots.count) * Self.maxLoad) }

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    private static func home(_ key: UInt64, _ size: Int) -> Int {
        // SplitMix64's finaliser, then Lemire's multiply-shift onto [0, size).
        var z = key
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(truncatingIfNeeded: z.multipliedFullWidth(by: UInt64(size)).high)
    }

    /// Inserts `key` with `time`, or keeps the earlier time when it is there; the old time, if any.
    @inline(__always)
    mutating func insertKeepingEarliest(_ key: UInt64, time: Int64) -> Int64? {
        if key == 0 {
            guard let old = zeroTime else {
                zeroTime = time
                count += 1
                return nil
            }
            zeroTime = min(old, time)
            return old
        }
        if used >= growAt { grow() }
        let old = slots.withUnsafeMutableBufferPointer { Self.place(key, time: time, in: $0) }
        if old == nil {
            used += 1
            count += 1
        }
        return old
    }

    /// Puts `key` (not 0) in its slot of `buffer`, keeping the earlier time when it is there already:
    /// the time it had, or nil when it is new. The caller counts it.
    @inline(__always)
    private static func place(_ key: UInt64, time: Int64, in buffer: UnsafeMutableBufferPointer<Slot>) -> Int64? {
        let size = buffer.count
        var i = home(key, size)
        while true {
            let slotKey = buffer[i].key
            if slotKey == key {
                let old = buffer[i].time
                if time < old { buffer[i].time = time }
                return old
            }
            if slotKey == 0 {
                buffer[i] = Slot(key: key, time: time)
                return nil
            }
            i += 1
            if i == size { i = 0 }
        }
    }

    /// Inserts a run's entries as `insertKeepingEarliest` would one by one, each time held to `accepted`
    /// (or untimed for all when nil, as examples are); how many were new, and how many came with a time
    /// other than the one kept before them. The table grows once for the run, and each entry's slot is
    /// asked for a few entries ahead.
    mutating func insertKeepingEarliest(
        _ entries: UnsafeBufferPointer<RecordRun.Entry>, accepted: ClosedRange<Int64>?
    ) -> (inserted: Int, retimed: Int) {
        while used + entries.count > growAt { grow() }
        var inserted = 0
        var retimed = 0
        var zero = zeroTime
        var newSlots = 0
        let size = slots.count
        let ahead = 8
        slots.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            for i in entries.indices {
                if i + ahead < entries.count { aq_prefetch_for_write(base + Self.home(entries[i + ahead].id, size)) }
                let key = entries[i].id
                var time = entries[i].time
                if let accepted {
                    if time != RecordRun.untimed { time = min(max(time, accepted.lowerBound), accepted.upperBound) }
                } else {
                    time = RecordRun.untimed
                }
                if key == 0 {
                    if let old = zero {
                        zero = min(old, time)
                        if old != time { retimed += 1 }
                    } else {
                        zero = time
                        inserted += 1
                    }
                    continue
                }
                if let old = Self.place(key, time: time, in: buffer) {
                    if old != time { retimed += 1 }
                } else {
                    newSlots += 1
                    inserted += 1
                }
            }
        }
        zeroTime = zero
        used += newSlots
        count += inserted
        return (inserted, retimed)
    }

    /// Asks for the cache line where `key` would be inserted, ahead of `insertKeepingEarliest`.
    @inline(__always)
    func prefetch(_ key: UInt64) {
        let size = slots.count
        guard size > 0 else { return }
        slots.withUnsafeBufferPointer { aq_prefetch_for_write($0.baseAddress! + Self.home(key, size)) }
    }

    private mutating func grow() {
        let size = max(16, slots.count + slots.count / 2)
        let old = slots
        slots = []
        slots = [Slot](repeating: Slot(key: 0, time: 0), count: size)
        growAt = Int(Double(size) * Self.maxLoad)
        slots.withUnsafeMutableBufferPointer { buffer in
            for slot in old where slot.key != 0 {
                var i = Self.home(slot.key, size)
                while buffer[i].key != 0 {
                    i += 1
                    if i == size { i = 0 }
                }
                buffer[i] = slot
            }
        }
    }

    /// Every (id, time), in no particular order.
    func forEach(_ body: (UInt64, Int64) -> Void) {
        if let zeroTime { body(0, zeroTime) }
        for slot in slots where slot.key != 0 { body(slot.key, slot.time) }
    }
}
