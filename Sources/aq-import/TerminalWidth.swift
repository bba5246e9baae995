import Foundation

/// The width of the terminal on stderr, for the progress line; `nil` when it is not a terminal.
enum TerminalWidth {
    static func current() -> Int? {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}
