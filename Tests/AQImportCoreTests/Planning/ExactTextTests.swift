import Testing

@testable import AQImportCore

@Suite("Exact text")
struct ExactTextTests {
    @Test("equal bytes are equal whether or not they share storage; equivalent spellings are not")
    func equality() {
        let long = "UHJvamVjdDoxMjM0NTY3ODkwYWJjZGVm"
        let copy = String(decoding: Array(long.utf8), as: UTF8.self)
        #expect(ExactText.equal(long, long))
        #expect(ExactText.equal(long, copy))
        #expect(!ExactText.equal(long, copy + "x"))
        #expect(!ExactText.equal(long, String(long.dropLast()) + "g"))
        #expect(ExactText.equal("", ""))
        #expect(!ExactText.equal("caf\u{E9}", "cafe\u{301}"))
        #expect(!ExactText.equal("\u{C5}", "\u{212B}"))
    }

    @Test("order is the bytes' order: shorter prefix first, bytes compared unsigned")
    func order() {
        #expect(ExactText.less("abc", "abcd"))
        #expect(!ExactText.less("abcd", "abc"))
        #expect(!ExactText.less("abc", "abc"))
        #expect(ExactText.less("", "a"))
        #expect(ExactText.less("z", "\u{E9}"))
        #expect(ExactText.less("cafe\u{301}", "caf\u{E9}"))
        let words = ["b", "a", "\u{E9}", "ab", "", "aa", "Z", "\u{1F600}", "a\u{0}"]
        #expect(
            words.sorted(by: ExactText.less)
                == words.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
    }
}
