import AQImportCore
import Foundation

/// Writes to standard error without buffering, so messages interleave correctly with progress.
/// Control characters in what it is given (a file name, an id) are escaped.
enum FileHandleOutput {
    static func standardError(_ text: String) {
        let escaped = TerminalText.escape(text, keepingLineBreaks: true)
        let line = escaped.hasSuffix("\n") ? escaped : escaped + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
