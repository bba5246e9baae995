/// The names nearest to one that was not found: those equal but for case, those containing it or
/// contained in it (ignoring case), then those within a few edits, at most `limit` of them.
public enum NameSuggestions {
    public static func nearest(to wanted: String, among names: [String], limit: Int = 5) -> [String] {
        let target = wanted.lowercased()
        let allowed = max(2, target.count / 3)
        var seen: Set<String> = []
        var scored: [(rank: Int, distance: Int, name: String)] = []
        for name in names where seen.insert(name).inserted && name != wanted {
            let lower = name.lowercased()
            let distance = editDistance(target, lower)
            let rank: Int
            if lower == target {
                rank = 0
            } else if !target.isEmpty && (lower.contains(target) || target.contains(lower)) {
                rank = 1
            } else if distance <= allowed {
                rank = 2
            } else {
                continue
            }
            scored.append((rank, distance, name))
        }
        scored.sort { ($0.rank, $0.distance, $0.name) < ($1.rank, $1.distance, $1.name) }
        return scored.prefix(limit).map(\.name)
    }

    /// Levenshtein distance over characters.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
