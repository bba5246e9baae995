/// An item cut into the fewest pieces, each piece one request, with riders from other items in some of
/// those requests. Sizes are in the host's own unit: ids, where its cap is 500 (span, trace, example) or
/// 100 (session).
struct Host {
    let item: Int
    let isSession: Bool
    let cap: Int
    let size: Int
    private(set) var pieces: Int
    /// pieces x cap - size, less what riders have taken of it.
    private(set) var spare: Int
    private(set) var riders: [(piece: PackedPiece, reduction: Int)] = []

    init(index: Int, item: PackingItem, size: Int) {
        self.item = index
        self.isSession = item.isSession
        self.cap = item.cap
        self.size = size
        self.pieces = (size + cap - 1) / cap
        self.spare = pieces * cap - size
    }

    var freeSlots: Int { pieces - riders.count }

    /// The largest rider one more piece can take. A host piece keeps at least one id.
    func maxRide(riderIsSession: Bool) -> Int {
        guard riders.count < pieces else { return 0 }
        let room = min(spare, cap - 1)
        if isSession {
            // A session piece of p ids leaves 500 - p records, and p can shrink to make room: a
            // non-session rider of up to 400 costs the host nothing.
            return riderIsSession ? room : APILimits.maxRecordsPerRequest - APILimits.maxSessionsPerRequest + room
        }
        return riderIsSession ? min(room, APILimits.maxSessionsPerRequest) : room
    }

    /// How much of the host's spare room a rider of `size` uses.
    func reduction(_ size: Int, riderIsSession: Bool) -> Int {
        if isSession && !riderIsSession {
            return max(0, size - (APILimits.maxRecordsPerRequest - APILimits.maxSessionsPerRequest))
        }
        return size
    }

    /// Whether the host could be cut into one more piece to make a slot for an item of `riderIsSession`
    /// kind: a whole rider then costs one request, as it would as a host of its own, but the room it
    /// leaves stays with this host's many slots instead of a single one.
    func canExtend(riderIsSession: Bool) -> Bool {
        riderIsSession == isSession && size > pieces
    }

    mutating func extend() {
        pieces += 1
        spare += cap
    }

    mutating func take(_ piece: PackedPiece, riderIsSession: Bool) {
        precondition(piece.size >= 1 && piece.size <= maxRide(riderIsSession: riderIsSession))
        let used = reduction(piece.size, riderIsSession: riderIsSession)
        spare -= used
        riders.append((piece, used))
    }

    /// One request per piece: the host's share first, then its rider if it has one. Pieces are filled in
    /// turn, keeping at least one id for every later piece.
    func requests() -> [[PackedPiece]] {
        var out: [[PackedPiece]] = []
        out.reserveCapacity(pieces)
        var left = size
        for j in 0..<pieces {
            let room = cap - (j < riders.count ? riders[j].reduction : 0)
            let own = min(room, left - (pieces - 1 - j))  // at least one id for each later piece
            left -= own
            var request = [PackedPiece(item: item, size: own)]
            if j < riders.count { request.append(riders[j].piece) }
            out.append(request)
        }
        precondition(left == 0)
        return out
    }
}
