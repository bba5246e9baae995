import Testing

@testable import AQImportCore

/// The (time, id) order the planner cuts windows from, on both sides of the radix sort's threshold.
@Suite("Sorted ids")
struct SortedIDsTests {
    private static func reference(_ entries: [SortedIDs.HexEntry]) -> [SortedIDs.HexEntry] {
        entries.sorted { $0.time != $1.time ? $0.time < $1.time : $0.id < $1.id }
    }

    private static func entries(count: Int, seed: UInt64, time: (UInt64) -> Int64) -> [SortedIDs.HexEntry] {
        (0..<UInt64(count)).map { k in
            let r = SplitMix64.mix(seed &+ k)
            return SortedIDs.HexEntry(time: time(r), id: SplitMix64.mix(r) | 1)
        }
    }

    private static func check(_ entries: [SortedIDs.HexEntry]) {
        var sorted = entries
        SortedIDs.sort(&sorted)
        let expected = reference(entries)
        #expect(sorted.map(\.time) == expected.map(\.time))
        #expect(sorted.map(\.id) == expected.map(\.id))
    }

    @Test("times over the whole accepted range, small and large groups", arguments: [100, 4095, 4096, 50_000])
    func wideTimes(count: Int) {
        let low = Timestamp.earliestAccepted.nanosecondsSinceEpoch
        let high = Timestamp.latestAccepted.nanosecondsSinceEpoch
        Self.check(Self.entries(count: count, seed: 1) { low + Int64($0 % UInt64(high - low)) })
    }

    @Test("many equal times are ordered by id")
    func equalTimes() {
        Self.check(Self.entries(count: 20_000, seed: 2) { 1_700_000_000_000_000_000 + Int64($0 % 7) })
    }

    @Test("one time for all: the ids decide alone")
    func oneTime() {
        Self.check(Self.entries(count: 10_000, seed: 3) { _ in 1_700_000_000_000_000_000 })
    }

    @Test("untimed entries sort after every timed one, by id")
    func untimedLast() {
        let entries = Self.entries(count: 30_000, seed: 4) { r in
            r % 3 == 0 ? RecordGroup.untimed : 1_700_000_000_000_000_000 + Int64(r % 1_000_000_007)
        }
        var sorted = entries
        SortedIDs.sort(&sorted)
        let firstUntimed = sorted.firstIndex { $0.time == RecordGroup.untimed }!
        #expect(sorted[firstUntimed...].allSatisfy { $0.time == RecordGroup.untimed })
        Self.check(entries)
    }

    @Test("times that differ only in their highest bits")
    func highBits() {
        Self.check(Self.entries(count: 8_192, seed: 5) { r in Int64(r % 4) << 61 })
    }
}
