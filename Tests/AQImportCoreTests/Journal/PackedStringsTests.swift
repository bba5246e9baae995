import Testing

@testable import AQImportCore

@Suite struct PackedStringsTests {
    @Test("strings read back exactly, in order; equal only when their bytes are: NFC and NFD stay two")
    func roundTrip() {
        let strings = ["UmVjb3JkOjE=", "", "caf\u{E9}", "cafe\u{301}", String(repeating: "x", count: 5_000), "🙂"]
        var packed = PackedStrings()
        for string in strings { packed.append(string) }
        #expect(packed.count == strings.count)
        #expect(Array(packed) == strings)
        #expect(packed[3].utf8.elementsEqual("cafe\u{301}".utf8))
        #expect(PackedStrings(strings) == packed)
        #expect(PackedStrings(["caf\u{E9}"]) != PackedStrings(["cafe\u{301}"]))
        #expect(PackedStrings(["ab", "c"]) != PackedStrings(["a", "bc"]))
        #expect(PackedStrings().isEmpty)
    }
}
