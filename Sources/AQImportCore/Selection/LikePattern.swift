/// A `LIKE` pattern: `%` matches any run of characters (none included), `_` exactly one; everything
/// else matches itself, case-sensitively. Works on Unicode scalars.
struct LikePattern: Sendable, Hashable {
    private enum Piece: Sendable, Hashable {
        case scalar(Unicode.Scalar)
        case any
        case many
    }

    private let pieces: [Piece]

    init(_ pattern: String) {
        var pieces: [Piece] = []
        for s in pattern.unicodeScalars {
            switch s {
            case "%": if pieces.last != .many { pieces.append(.many) }
            case "_": pieces.append(.any)
            default: pieces.append(.scalar(s))
            }
        }
        self.pieces = pieces
    }

    /// Greedy matching with one backtrack point (the last `%`): linear for most patterns, at worst
    /// the text's length times the pattern's.
    func matches(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        var t = scalars.startIndex
        var p = 0
        var starP = -1
        var starT = t
        while t < scalars.endIndex {
            if p < pieces.count {
                switch pieces[p] {
                case .many:
                    starP = p
                    starT = t
                    p += 1
                    continue
                case .any:
                    p += 1
                    t = scalars.index(after: t)
                    continue
                case .scalar(let s) where s == scalars[t]:
                    p += 1
                    t = scalars.index(after: t)
                    continue
                default:
                    break
                }
            }
            guard starP >= 0 else { return false }
            p = starP + 1
            starT = scalars.index(after: starT)
            t = starT
        }
        while p < pieces.count, pieces[p] == .many { p += 1 }
        return p == pieces.count
    }
}
