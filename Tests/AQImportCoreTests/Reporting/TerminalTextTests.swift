import Testing

@testable import AQImportCore

@Suite struct TerminalTextTests {
    @Test func controlCharactersAreShownAsEscapes() {
        #expect(TerminalText.escape("a\u{1B}[2Jb.csv") == "a\\u{1B}[2Jb.csv")
        #expect(TerminalText.escape("x\ry\u{7F}\u{9B}31m\u{85}") == "x\\u{D}y\\u{7F}\\u{9B}31m\\u{85}")
        #expect(TerminalText.escape("evil\u{202E}vsc.exe") == "evil\\u{202E}vsc.exe")
        #expect(TerminalText.escape("line\nnext\ttab") == "line\\u{A}next\\u{9}tab")
        #expect(TerminalText.escape("café ☕ spans.csv") == "café ☕ spans.csv")
    }

    @Test func wholeMessagesKeepTheirLines() {
        #expect(
            TerminalText.escape("cannot read \u{1B}]0;x\u{7}.csv\n  next line\n", keepingLineBreaks: true)
                == "cannot read \\u{1B}]0;x\\u{7}.csv\n  next line\n")
    }
}
