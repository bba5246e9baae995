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
        a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8)
    }

    /// Byte order (for UTF-8, the order of code points), which agrees with `String`'s `<` on ASCII.
    @inline(__always)
    public static func less(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
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
