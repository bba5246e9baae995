/// Text on its way to a terminal, where a path, an id or a cell from an input may hold control
/// characters: those are shown as `\u{1B}` escapes, so that a file name cannot move the cursor, change
/// colours, erase the line or pass for a line of its own. Every message, summary and status goes
/// through `escape` where it is printed.
public enum TerminalText {
    /// `keepingLineBreaks` keeps newlines and tabs: for whole messages, which are made of lines.
    public static func escape(_ text: String, keepingLineBreaks: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, keepingLineBreaks: keepingLineBreaks) }) else {
            return text
        }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if needsEscape(scalar, keepingLineBreaks: keepingLineBreaks) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func needsEscape(_ scalar: Unicode.Scalar, keepingLineBreaks: Bool) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: !keepingLineBreaks
        case 0x00...0x1F, 0x7F...0x9F: true
        // Bidirectional overrides and isolates reorder what follows them on screen.
        case 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
