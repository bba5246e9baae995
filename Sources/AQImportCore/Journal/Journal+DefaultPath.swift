import Crypto
import Foundation

extension Journal {
    /// Where a run keeps its journal when `--journal` is not given: a file in `directory` named after
    /// the queue and the inputs, e.g. `.aq-import/q-123-spans.csv-3f1a09b2c4d5.journal`. The hash covers
    /// the queue id and the absolute input paths (relative ones resolved against `workingDirectory`),
    /// so the same command from the same place finds the same journal.
    public static func defaultPath(
        queueID: String, inputs: [String], directory: String = ".aq-import",
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) -> String {
        let absolute = inputs.map { input -> String in
            if input == "-" { return input }
            let base = URL(fileURLWithPath: workingDirectory, isDirectory: true)
            return URL(fileURLWithPath: input, relativeTo: base).standardizedFileURL.path
        }
        var hasher = SHA256()
        hasher.update(data: Array(queueID.utf8))
        for path in absolute {
            hasher.update(data: [0])
            hasher.update(data: Array(path.utf8))
        }
        let hash = InputFingerprint.hexDigest(hasher.finalize()).prefix(12)
        var prefix = readable(queueID, limit: 40)
        if let first = inputs.first {
            let name = first == "-" ? "stdin" : readable((first as NSString).lastPathComponent, limit: 40)
            if !name.isEmpty { prefix += "-" + name }
        }
        return (directory as NSString).appendingPathComponent("\(prefix)-\(hash).journal")
    }

    private static func readable(_ text: String, limit: Int) -> String {
        let kept = text.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".": Character(scalar)
            default: "_"
            }
        }
        let trimmed = String(kept.prefix(limit)).trimmingCharacters(in: CharacterSet(charactersIn: "."))
        return trimmed.isEmpty ? "queue" : trimmed
    }
}
