/// A record's (or unit's) sampling priority: SipHash-2-4, keyed by the seed, of its kind, scope and
/// id. Each stratum keeps its lowest priorities, so the sample depends only on the seed and on which
/// records exist, never on the order of files or rows.
public enum SamplePriority {
    public static func of(seed: UInt64, kind: String, scope: Scope, id: String) -> UInt64 {
        var hasher = prefix(seed: seed, kind: kind, scope: scope)
        hasher.append(id)
        return hasher.finish()
    }

    /// The same as `of` for an id, from a hasher that has taken the seed, kind and scope already
    /// (records of one scope come together: the selector keeps that state): a hex id's digits are fed
    /// without making its 16-character string.
    static func of(_ prefix: SipHash24, id: RecordID) -> UInt64 {
        var hasher = prefix
        switch id {
        case .hex64(let value): hasher.appendHex64(value)
        case .text(let text): hasher.append(text)
        }
        return hasher.finish()
    }

    static func prefix(seed: UInt64, kind: String, scope: Scope) -> SipHash24 {
        var hasher = SipHash24(k0: seed, k1: seed ^ 0x6171_2D69_6D70_6F72)
        hasher.append(kind)
        switch scope {
        case .project(let project):
            hasher.append("p")
            hasher.append(project)
        case .dataset(let dataset, let version):
            hasher.append("d")
            hasher.append(dataset)
            hasher.append(version ?? "")
        }
        return hasher
    }

    /// The priority below which a unit is kept for `--sample P%`: the lowest P% of all priorities.
    public static func threshold(percent: Double) -> UInt64 {
        if percent >= 100 { return .max }
        if percent <= 0 { return 0 }
        return UInt64((percent / 100 * 18_446_744_073_709_551_616.0).rounded(.down))
    }
}

/// SipHash-2-4 over a stream of length-prefixed strings (so `("ab", "c")` and `("a", "bc")` differ).
struct SipHash24 {
    private var v0: UInt64
    private var v1: UInt64
    private var v2: UInt64
    private var v3: UInt64
    private var tail: UInt64 = 0
    private var tailBytes = 0
    private var length: UInt64 = 0

    init(k0: UInt64, k1: UInt64) {
        v0 = k0 ^ 0x736f_6d65_7073_6575
        v1 = k1 ^ 0x646f_7261_6e64_6f6d
        v2 = k0 ^ 0x6c79_6765_6e65_7261
        v3 = k1 ^ 0x7465_6462_7974_6573
    }

    mutating func append(_ text: String) {
        var count = UInt32(truncatingIfNeeded: text.utf8.count)
        for _ in 0..<4 {
            appendByte(UInt8(truncatingIfNeeded: count))
            count >>= 8
        }
        append(bytes: text.utf8)
    }

    /// What `append` of the id's text (16 lowercase hex digits) adds.
    mutating func appendHex64(_ value: UInt64) {
        appendByte(16)
        for _ in 0..<3 { appendByte(0) }
        for i in 0..<16 { appendByte(Hex.digits[Int((value >> UInt64(60 - 4 * i)) & 0xF)]) }
    }

    mutating func append<S: Sequence<UInt8>>(bytes: S) {
        for byte in bytes { appendByte(byte) }
    }

    private mutating func appendByte(_ byte: UInt8) {
        tail |= UInt64(byte) << UInt64(8 * tailBytes)
        tailBytes += 1
        length &+= 1
        if tailBytes == 8 {
            compress(tail)
            tail = 0
            tailBytes = 0
        }
    }

    private mutating func compress(_ m: UInt64) {
        v3 ^= m
        round()
        round()
        v0 ^= m
    }

    private mutating func round() {
        v0 &+= v1
        v1 = v1.rotateLeft(13) ^ v0
        v0 = v0.rotateLeft(32)
        v2 &+= v3
        v3 = v3.rotateLeft(16) ^ v2
        v0 &+= v3
        v3 = v3.rotateLeft(21) ^ v0
        v2 &+= v1
        v1 = v1.rotateLeft(17) ^ v2
        v2 = v2.rotateLeft(32)
    }

    mutating func finish() -> UInt64 {
        compress(tail | (length & 0xFF) << 56)
        v2 ^= 0xFF
        for _ in 0..<4 { round() }
        return v0 ^ v1 ^ v2 ^ v3
    }
}

extension UInt64 {
    fileprivate func rotateLeft(_ n: UInt64) -> UInt64 { (self << n) | (self >> (64 - n)) }
}
