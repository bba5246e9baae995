/// Finds an entry of `DeliveredIDs` by its kind and id: an open-addressed table of positions in the
/// entries, 8 to 16 bytes a delivered id where a `[IDKey: Int]` cost about 45. The table holds no keys:
/// a slot's key is its entry's, compared through `IDKey.matches(kind:id:)`.
struct IDPositionTable: Sendable {
    private var slots: [Int32] = []
    private var count = 0

    /// The position whose key `isKey` recognises, among those of `key`'s hash.
    func position(of key: IDKey, where isKey: (Int) -> Bool) -> Int? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var i = key.hashValue & mask
        while true {
            let at = slots[i]
            if at < 0 { return nil }
            if isKey(Int(at)) { return Int(at) }
            i = (i + 1) & mask
        }
    }

    /// Adds `position` under `key`, which the table does not hold yet; `keyOf` gives the key of any
    /// position already in it, to place them again when the table grows.
    mutating func insert(_ position: Int, key: IDKey, keyOf: (Int) -> IDKey) {
        precondition(position < Int(Int32.max), "more delivered ids than a journal can hold")
        if (count + 1) * 2 > slots.count {
            let old = slots
            slots = [Int32](repeating: -1, count: max(16, slots.count * 2))
            for at in old where at >= 0 { place(at, hash: keyOf(Int(at)).hashValue) }
        }
        place(Int32(position), hash: key.hashValue)
        count += 1
    }

    private mutating func place(_ position: Int32, hash: Int) {
        let mask = slots.count - 1
        var i = hash & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = position
    }
}
