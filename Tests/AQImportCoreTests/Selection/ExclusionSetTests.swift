import Testing

@testable import AQImportCore

/// Ids excluded by `--exclude-queue` are opaque bytes: held, compared and listed by their UTF-8 bytes.
@Suite struct ExclusionSetTests {
    static let nfcAcute = "caf\u{E9}"
    static let nfdAcute = "cafe\u{301}"

    @Test func idsSpelledInNFCAndNFDAreTwoExclusions() {
        var set = ExclusionSet()
        set.insert(kind: .span, id: Self.nfcAcute)
        #expect(set.contains(kind: .span, id: RecordID(Self.nfcAcute)))
        #expect(!set.contains(kind: .span, id: RecordID(Self.nfdAcute)))
        set.insert(kind: .span, id: Self.nfdAcute)
        #expect(set.entries.map { Array($0.1.utf8) } == [Array(Self.nfdAcute.utf8), Array(Self.nfcAcute.utf8)])
    }

    /// `String`'s order puts "\u{E9}a" before "e\u{301}x" (it compares them normalized); their bytes
    /// put the NFD one first (0x65 < 0xC3), and the snapshot is written in byte order.
    @Test func entriesAreInByteOrder() {
        var set = ExclusionSet()
        let nfc = "\u{E9}a"
        let nfd = "e\u{301}x"
        set.insert(kind: .span, id: nfc)
        set.insert(kind: .span, id: nfd)
        #expect(set.entries.map { Array($0.1.utf8) } == [Array(nfd.utf8), Array(nfc.utf8)])
    }
}
