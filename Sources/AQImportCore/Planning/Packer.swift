/// Packs items into requests of at most two pieces, at most `APILimits.maxRecordsPerRequest` ids and at
/// most `APILimits.maxSessionsPerRequest` session ids each, using few requests.
///
/// Each strategy is a host-and-rider greedy: items are taken in some order; an item first tries to ride,
/// whole or in parts, in the spare room of a piece of an earlier host, and whatever is left becomes a
/// host itself, cut into the fewest pieces. A host's pieces take their sizes only at the end, so its
/// spare room (pieces x cap - size) can be spread over its pieces as the riders need it: that is the
/// "even cut" that leaves room where full pieces would not. Riders split across hosts carry the tail of
/// one window with the head of another. No strategy is best everywhere, so several run and the plan with
/// the fewest requests wins (ties: the earliest strategy in `strategies`).
enum Packer {
    enum Order {
        /// Largest share of a request first (a session counts five records).
        case loadDescending
        /// Sessions first, by load, then the rest by load: every session piece leaves room for 400
        /// other records, so sessions make the best hosts.
        case sessionsFirst
        /// Items over half a request first, by load, then the rest smallest first: when the big items'
        /// spare room, not their slots, is what runs out, many small riders beat a few large ones.
        case largeThenAscending
        /// Group and time order: a window's tail rides with the next window's head.
        case natural
    }

    /// How an item may ride in other hosts' room.
    enum Ride {
        /// Never: it is always a host. Slots are scarce when many small items compete for them.
        case never
        /// Only a whole piece (or the part beyond its full pieces), which saves a request.
        case whole
        /// Also pour parts into the roomiest host while any room is left.
        case pour
        /// Pour, but when one more piece would finish the item, pour only half of what the item leaves
        /// room for, so the host and the item's last piece keep even room for later riders.
        case pourEvenly
    }

    struct Strategy: Hashable {
        var order: Order
        /// How session items ride: a session piece in a slot takes the room of up to 499 other records.
        var sessions: Ride
        var others: Ride
        /// Whether a one-piece item that finds no room may extend a host instead of hosting itself.
        var extend: Bool
    }

    /// A few combinations that, between them, found the fewest requests that any of the 96 combinations
    /// (and a most-ids-first order, since dropped) found, in every one of 810 random imports like those of
    /// the property tests; listed in order of how much each added.
    static let strategies: [Strategy] = [
        Strategy(order: .sessionsFirst, sessions: .whole, others: .pour, extend: false),
        Strategy(order: .largeThenAscending, sessions: .pour, others: .whole, extend: false),
        Strategy(order: .sessionsFirst, sessions: .never, others: .pour, extend: true),
        Strategy(order: .loadDescending, sessions: .whole, others: .whole, extend: true),
        Strategy(order: .sessionsFirst, sessions: .pour, others: .pourEvenly, extend: false),
        Strategy(order: .sessionsFirst, sessions: .pour, others: .pour, extend: true),
        Strategy(order: .natural, sessions: .pour, others: .pour, extend: false),
        Strategy(order: .loadDescending, sessions: .pour, others: .pourEvenly, extend: false),
        Strategy(order: .largeThenAscending, sessions: .never, others: .whole, extend: true),
    ]

    /// The best packing found. Each request lists one or two pieces; each item's pieces add up to its size.
    static func pack(_ items: [PackingItem]) -> [[PackedPiece]] {
        let all = Array(items.indices)
        var best = bestStrategy(items, all)
        // Planning each kind on its own is a candidate too, so mixing kinds never costs requests.
        let kinds = Set(items.map(\.kind))
        if kinds.count > 1 {
            let separate = RecordKind.allCases.filter(kinds.contains).flatMap { kind in
                bestStrategy(items, all.filter { items[$0].kind == kind })
            }
            if separate.count < best.count { best = separate }
        }
        return best
    }

    static func bestStrategy(_ items: [PackingItem], _ subset: [Int]) -> [[PackedPiece]] {
        var best: [[PackedPiece]]? = nil
        for strategy in strategies {
            let requests = run(strategy, items, subset)
            if best == nil || requests.count < best!.count { best = requests }
        }
        return best ?? []
    }

    static func run(_ strategy: Strategy, _ items: [PackingItem], _ subset: [Int]) -> [[PackedPiece]] {
        var order = subset
        switch strategy.order {
        case .natural:
            break
        case .loadDescending:
            order.sort { (load(items[$1]), $0) < (load(items[$0]), $1) }
        case .largeThenAscending:
            func rank(_ i: Int) -> (Int, Int, Int) {
                let large = 2 * items[i].size > items[i].cap
                return (large ? 0 : 1, large ? -load(items[i]) : load(items[i]), i)
            }
            order.sort { rank($0) < rank($1) }
        case .sessionsFirst:
            func rank(_ i: Int) -> (Int, Int, Int) { (items[i].isSession ? 0 : 1, -load(items[i]), i) }
            order.sort { rank($0) < rank($1) }
        }

        var hosts: [Host] = []
        var open = OpenHosts()
        var bySlots = [SlotHeap(), SlotHeap()]  // for extension: non-session hosts, session hosts
        func changed(_ h: Int) {
            let host = hosts[h]
            open.update(
                h, nonSessionRoom: host.maxRide(riderIsSession: false), sessionRoom: host.maxRide(riderIsSession: true))
            if host.canExtend(riderIsSession: host.isSession) {
                bySlots[host.isSession ? 1 : 0].push(free: host.freeSlots, host: h)
            }
        }

        for index in order {
            let item = items[index]
            let session = item.isSession
            var remaining = item.size
            let ride = session ? strategy.sessions : strategy.others
            var lastPour = false
            while remaining > 0 && ride != .never && !lastPour {
                let want = min(remaining, item.cap)
                let partial = remaining > item.cap ? remaining % item.cap : 0
                var chosen: (host: Int, size: Int)? = nil
                if let h = open.bestFit(want, session: session) {
                    chosen = (h, want)
                } else if ride == .pour || ride == .pourEvenly {
                    // Pouring as much as fits keeps the parts few; riding the small `partial` first would
                    // spend a slot on it and leave a new partial behind after every pour.
                    if let h = open.roomiest(session: session) {
                        let room = hosts[h].maxRide(riderIsSession: session)
                        if ride == .pourEvenly && remaining <= item.cap + room {
                            // What is left after this pour hosts itself in one piece.
                            let even = min(want, (room - item.cap + remaining) / 2)
                            if even >= 1 { chosen = (h, even) }
                            lastPour = true
                        } else {
                            chosen = (h, min(want, room))
                        }
                    }
                } else if partial > 0, let h = open.bestFit(partial, session: session) {
                    chosen = (h, partial)
                }
                guard let (h, size) = chosen else { break }
                hosts[h].take(PackedPiece(item: index, size: size), riderIsSession: session)
                changed(h)
                remaining -= size
            }
            if remaining > 0 && remaining < item.cap && strategy.extend && ride != .never,
                let h = bySlots[session ? 1 : 0].top(where: { free, h in
                    hosts[h].freeSlots == free && hosts[h].canExtend(riderIsSession: session)
                })
            {
                hosts[h].extend()
                hosts[h].take(PackedPiece(item: index, size: remaining), riderIsSession: session)
                changed(h)
                remaining = 0
            }
            if remaining > 0 {
                hosts.append(Host(index: index, item: item, size: remaining))
                changed(hosts.count - 1)
            }
        }
        return hosts.flatMap { $0.requests() }
    }

    private static func load(_ item: PackingItem) -> Int {
        item.size * APILimits.maxRecordsPerRequest / item.cap
    }
}
