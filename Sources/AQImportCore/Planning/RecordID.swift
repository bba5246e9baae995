/// A record id in compact form. Ids of exactly 16 lowercase hex characters (OpenTelemetry span ids, the
/// common case) are kept as one integer: a `String` of 16 characters does not fit Swift's small-string
/// form and would cost a heap allocation each. Every other id keeps its text, compared, hashed and
/// ordered by its UTF-8 bytes (`ExactText`): ids are opaque, and canonically equivalent spellings
/// (`café` in NFC and NFD) are distinct ids.
public enum RecordID: Sendable, Hashable, Comparable {
    case hex64(UInt64)
    case text(String)

    public init(_ text: String) {
        if let value = Self.parseHex64(text.utf8) {
            self = .hex64(value)
        } else {
            self = .text(text)
        }
    }

    /// Builds an id from raw UTF-8 bytes, without making a `String` for the hex form.
    public init(utf8 bytes: UnsafeRawBufferPointer) {
        if let value = Self.parseHex64(bytes) {
            self = .hex64(value)
        } else {
            self = .text(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// The id exactly as it appeared in the input.
    public var text: String {
        switch self {
        case .text(let s):
            return s
        case .hex64(let v):
            return String(unsafeUninitializedCapacity: 16) { buffer in
                for i in 0..<16 { buffer[i] = Hex.digits[Int((v >> UInt64(60 - 4 * i)) & 0xF)] }
                return 16
            }
        }
    }

    public var isEmpty: Bool {
        if case .text(let s) = self { return s.isEmpty }
        return false
    }

    public static func == (lhs: RecordID, rhs: RecordID) -> Bool {
        switch (lhs, rhs) {
        case (.hex64(let a), .hex64(let b)): a == b
        case (.text(let a), .text(let b)): ExactText.equal(a, b)
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .hex64(let value):
            hasher.combine(0)
            hasher.combine(value)
        case .text(let text):
            hasher.combine(1)
            ExactText.hash(text, into: &hasher)
        }
    }

    public static func < (lhs: RecordID, rhs: RecordID) -> Bool {
        switch (lhs, rhs) {
        case (.hex64(let a), .hex64(let b)): a < b
        default: ExactText.less(lhs.text, rhs.text)
        }
    }

    private static func parseHex64<C: Collection>(_ bytes: C) -> UInt64? where C.Element == UInt8 {
        Hex.decode(bytes, width: 16)
    }
}
