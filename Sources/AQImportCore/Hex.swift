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

    /// Sixteen lowercase hex digits as an integer, else nil (what `decode(_:width: 16)` gives), eight
    /// bytes at a time: a loop with a branch a digit costs a misprediction at every other one, since
    /// whether a digit is a letter is a coin toss.
    @inline(__always)
    static func sixteenDigits(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
        guard bytes.count == 16 else { return nil }
        let first = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        let second = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        guard let high = eightDigits(first), let low = eightDigits(second) else { return nil }
        return high << 32 | low
    }

    /// Eight digits, the first in the lowest byte of `x`.
    @inline(__always)
    private static func eightDigits(_ x: UInt64) -> UInt64? {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let tops: UInt64 = 0x8080_8080_8080_8080
        // Every byte below 0x80, so that adding at most 0x80 to each carries into no other: the top bit
        // of each sum then says whether its byte reached a bound.
        guard x & tops == 0 else { return nil }
        let fromZero = x &+ ones &* (0x80 - 0x30)
        let pastNine = x &+ ones &* (0x80 - 0x3A)
        let fromA = x &+ ones &* (0x80 - 0x61)
        let pastF = x &+ ones &* (0x80 - 0x67)
        guard ((fromZero & ~pastNine) | (fromA & ~pastF)) & tops == tops else { return nil }
        // '0'...'9' give their low nibble, 'a'...'f' (bit 6 set) theirs plus 9.
        let digits = (x & (ones &* 0x0F)) &+ ((x >> 6) & ones) &* 9
        var packed = ((digits & 0x00FF_00FF_00FF_00FF) << 4) | ((digits >> 8) & 0x00FF_00FF_00FF_00FF)
        packed = ((packed & 0x0000_FFFF_0000_FFFF) << 8) | ((packed >> 16) & 0x0000_FFFF_0000_FFFF)
        return (packed & 0xFFFF) << 16 | ((packed >> 32) & 0xFFFF)
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
