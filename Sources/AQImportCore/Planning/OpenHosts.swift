/// The hosts that can still take a rider, bucketed by the largest rider each can take (one table per
/// rider class: session or not), so that the tightest fit and the roomiest host are found in a few word
/// operations however many hosts there are. Ties go to the host that entered its bucket last.
struct OpenHosts {
    /// A rider is at most 499 ids (a host piece keeps one).
    private static let words = 8
    private var buckets: [[[Int]]] = Array(repeating: Array(repeating: [], count: words * 64), count: 2)
    private var bits: [[UInt64]] = Array(repeating: Array(repeating: 0, count: words), count: 2)
    private var room: [[Int]] = [[], []]
    private var position: [[Int]] = [[], []]

    /// Records host `h`'s current rooms (0: it takes no rider of that class).
    mutating func update(_ h: Int, nonSessionRoom: Int, sessionRoom: Int) {
        set(h, 0, nonSessionRoom)
        set(h, 1, sessionRoom)
    }

    /// The host whose room is the smallest at least `size`.
    func bestFit(_ size: Int, session: Bool) -> Int? {
        let c = session ? 1 : 0
        var w = size >> 6
        guard w < Self.words else { return nil }
        var word = bits[c][w] & (~0 << UInt64(size & 63))
        while word == 0 {
            w += 1
            guard w < Self.words else { return nil }
            word = bits[c][w]
        }
        return buckets[c][w * 64 + word.trailingZeroBitCount].last
    }

    /// The host with the most room.
    func roomiest(session: Bool) -> Int? {
        let c = session ? 1 : 0
        for w in stride(from: Self.words - 1, through: 0, by: -1) where bits[c][w] != 0 {
            return buckets[c][w * 64 + 63 - bits[c][w].leadingZeroBitCount].last
        }
        return nil
    }

    private mutating func set(_ h: Int, _ c: Int, _ newRoom: Int) {
        precondition(newRoom < Self.words * 64)
        while room[c].count <= h {
            room[c].append(0)
            position[c].append(0)
        }
        let old = room[c][h]
        if old == newRoom { return }
        if old > 0 {
            let i = position[c][h]
            let last = buckets[c][old].removeLast()
            if last != h {
                buckets[c][old][i] = last
                position[c][last] = i
            }
            if buckets[c][old].isEmpty { bits[c][old >> 6] &= ~(1 << UInt64(old & 63)) }
        }
        room[c][h] = newRoom
        if newRoom > 0 {
            position[c][h] = buckets[c][newRoom].count
            buckets[c][newRoom].append(h)
            bits[c][newRoom >> 6] |= 1 << UInt64(newRoom & 63)
        }
    }
}
