/// One queue's records in creation order, with deletion. Deleted records leave a hole that is compacted away
/// once holes outnumber the live records; paging goes by record number, so a cursor stays valid across both.
struct QueueStore: Sendable {
    /// kind, scope and source id of every live record, so a source is added once and can be added again after
    /// its record is deleted
    private var keys: [String: Int] = [:]
    /// Record numbers, ascending; `slots[i]` is nil once that record is deleted.
    private var numbers: [Int] = []
    private var slots: [StoredRecord?] = []
    private(set) var count = 0

    static func key(kind: RecordKind, scope: String, sourceID: String) -> String {
        "\(kind.rawValue)\u{1F}\(scope)\u{1F}\(sourceID)"
    }

    func contains(key: String) -> Bool { keys[key] != nil }

    /// Appends a record whose number is above every stored one.
    mutating func append(_ record: StoredRecord, key: String) {
        keys[key] = record.number
        numbers.append(record.number)
        slots.append(record)
        count += 1
    }

    /// Deletes the records with these numbers; numbers it does not hold are ignored. Returns how many went.
    mutating func delete(numbers wanted: some Sequence<Int>) -> Int {
        var deleted = 0
        for number in wanted {
            guard let slot = slot(of: number), let record = slots[slot] else { continue }
            slots[slot] = nil
            keys[Self.key(kind: record.kind, scope: record.scope, sourceID: record.sourceID)] = nil
            deleted += 1
        }
        count -= deleted
        if slots.count - count > max(count, 1024) { compact() }
        return deleted
    }

    /// Up to `limit` live records numbered `from` or above, and whether more follow.
    func page(from: Int, limit: Int) -> (records: [StoredRecord], hasMore: Bool) {
        var index = lowerBound(from)
        var records: [StoredRecord] = []
        while index < slots.count, records.count < limit {
            if let record = slots[index] { records.append(record) }
            index += 1
        }
        while index < slots.count, slots[index] == nil { index += 1 }
        return (records, index < slots.count)
    }

    var all: [StoredRecord] { slots.compactMap { $0 } }

    private func slot(of number: Int) -> Int? {
        let index = lowerBound(number)
        return index < numbers.count && numbers[index] == number ? index : nil
    }

    private func lowerBound(_ number: Int) -> Int {
        var low = 0
        var high = numbers.count
        while low < high {
            let middle = (low + high) / 2
            if numbers[middle] < number { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private mutating func compact() {
        let live = slots.compactMap { $0 }
        slots = live
        numbers = live.map(\.number)
    }
}
