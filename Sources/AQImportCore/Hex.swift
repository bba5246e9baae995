/// Lowercase hexadecimal: the one form that span ids, request ids, digests and checksums take here.
enum Hex {
    static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Each byte as two digits.
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The low `width` digits of `value`, most significant first, leading zeros kept.
    static func digits(of value: UInt64, width: Int) -> [UInt8] {
        (0..<width).map { i in digits[Int((value >> UInt64(4 * (width - 1 - i))) & 0xF)] }
    }

    /// The value of exactly `width` lowercase hex digits (at most 16); `nil` for anything else.
    /// Uppercase is refused on purpose: only lowercase round-trips to the same text.
    static func decode(_ bytes: some Collection<UInt8>, width: Int) -> UInt64? {
        guard bytes.count == width, width <= 16 else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }
}
