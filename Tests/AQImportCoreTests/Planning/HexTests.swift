import Testing

@testable import AQImportCore

@Suite("Sixteen hex digits read eight bytes at a time")
struct HexTests {
    /// What a digit-by-digit reading gives, the reference.
    static func reference(_ bytes: [UInt8]) -> UInt64? { Hex.decode(bytes, width: 16) }

    static func fast(_ bytes: [UInt8]) -> UInt64? { bytes.withUnsafeBytes { Hex.sixteenDigits($0) } }

    @Test("every byte value at every position of a valid id gives what the reference gives")
    func everyByteAtEveryPosition() {
        var random = SplitMix64(seed: 16)
        for _ in 0..<8 {
            let valid = Array(RecordID.hex64(random.next()).text.utf8)
            #expect(Self.fast(valid) == Self.reference(valid))
            #expect(Self.fast(valid) != nil)
            for position in 0..<16 {
                for value in 0...255 {
                    var bytes = valid
                    bytes[position] = UInt8(value)
                    #expect(Self.fast(bytes) == Self.reference(bytes), "byte \(value) at \(position)")
                }
            }
        }
    }

    @Test("the bounds of each range, uppercase and lengths other than 16 are refused as the reference does")
    func boundsAndLengths() {
        let edges: [String] = [
            "0000000000000000", "ffffffffffffffff", "0123456789abcdef", "fedcba9876543210", "/000000000000000",
            ":000000000000000", "`000000000000000", "g000000000000000", "A000000000000000", "F000000000000000",
            "000000000000000:", "000000000000000g",
        ]
        for text in edges {
            let bytes = Array(text.utf8)
            #expect(Self.fast(bytes) == Self.reference(bytes), "\(text)")
        }
        #expect(Self.fast(Array("0123456789abcdef".utf8)) == 0x0123_4567_89ab_cdef)
        #expect(Self.fast(Array("0123456789abcde".utf8)) == nil)
        #expect(Self.fast(Array("0123456789abcdef0".utf8)) == nil)
        #expect(Self.fast([]) == nil)
    }

    @Test("random bytes of mostly hex characters agree with the reference")
    func randomMixtures() {
        var random = SplitMix64(seed: 61)
        let alphabet = Array("0123456789abcdefABCDEFgz/:`@ \u{7F}".utf8) + [0x80, 0xC3, 0xFF, 0x00]
        for _ in 0..<50_000 {
            let bytes = (0..<16).map { _ in
                random.below(8) == 0 ? alphabet[random.below(alphabet.count)] : Hex.digits[random.below(16)]
            }
            #expect(Self.fast(bytes) == Self.reference(bytes))
        }
    }
}
