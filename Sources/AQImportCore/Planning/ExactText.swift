import Foundation

/// Text compared, hashed and ordered by its UTF-8 bytes. Ids and scopes are opaque bytes to the API,
/// while Swift's `String` equality is canonical equivalence: `café` in NFC and in NFD, or U+00C5 and
/// U+212B, are equal `String`s but distinct ids. Everything keyed by an id or a scope goes through
/// this type (or its static functions), never through `String`'s own `==`, `<` or hash.
public struct ExactText: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var string: String

    public init(_ string: String) {
        self.string = string
    }

    public var description: String { string }

    public static func == (lhs: ExactText, rhs: ExactText) -> Bool { equal(lhs.string, rhs.string) }

    public static func < (lhs: ExactText, rhs: ExactText) -> Bool { less(lhs.string, rhs.string) }

    public func hash(into hasher: inout Hasher) { Self.hash(string, into: &hasher) }

    /// Byte equality.
    @inline(__always)
    public static func equal(_ a: String, _ b: String) -> Bool {
        // The same bits are the same text: a small string holds its bytes inline, a large one shares
        // its storage (readers hand out one String per scope).
        if unsafeBitCast(a, to: (UInt64, UInt64).self) == unsafeBitCast(b, to: (UInt64, UInt64).self) {
            return true
        }
        let (x, y) = (a.utf8, b.utf8)
        guard x.count == y.count else { return false }
        if x.isEmpty { return true }
        // Native and small strings hand out their bytes; a bridged one is walked.
        let fast = x.withContiguousStorageIfAvailable { p in
            y.withContiguousStorageIfAvailable { q in memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0 }
        }
        if let fast, let fast { return fast }
        return x.elementsEqual(y)
    }

    /// Byte order (for UTF-8, the order of code points), which agrees with `String`'s `<` on ASCII.
    @inline(__always)
    public static func less(_ a: String, _ b: String) -> Bool {
        let (x, y) = (a.utf8, b.utf8)
        let fast = x.withContiguousStorageIfAvailable { p in
            y.withContiguousStorageIfAvailable { q -> Bool in
                let n = min(p.count, q.count)
                let order = n == 0 ? 0 : memcmp(p.baseAddress!, q.baseAddress!, n)
                return order != 0 ? order < 0 : p.count < q.count
            }
        }
        if let fast, let fast { return fast }
        return x.lexicographicallyPrecedes(y)
    }

    /// Hashes the bytes and their count (so that two fields hashed one after another stay distinct).
    @inline(__always)
    public static func hash(_ text: String, into hasher: inout Hasher) {
        let utf8 = text.utf8
        hasher.combine(utf8.count)
        let done: Void? = utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if done == nil {
            for byte in utf8 { hasher.combine(byte) }
        }
    }
}
