import Foundation

/// Quotes a word for a POSIX shell, so that a printed command can be pasted back as it is.
public enum ShellQuoting {
    public static func quote(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy { scalar in
            CharacterSet.shellSafe.contains(scalar)
        }
        if safe && !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

extension CharacterSet {
    fileprivate static let shellSafe = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
}
