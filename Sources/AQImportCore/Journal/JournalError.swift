import Foundation

/// A journal that cannot be used, with what to do about it.
public enum JournalError: Error, Sendable, Equatable {
    /// A line before the last is damaged: the journal cannot be trusted.
    case damagedLine(path: String, line: Int, problem: String)
    /// The first complete line is not a header.
    case missingHeader(path: String)
    /// Written by a newer aq-import.
    case unsupportedFormat(path: String, version: Int)
    /// Another process holds the journal.
    case locked(path: String)
    /// A system call failed.
    case io(path: String, operation: String, errno: Int32)
    /// Used after `close()`, or after an earlier write failed.
    case closed(path: String)
    /// The path holds something that is not a journal (an input, a directory, a device): left untouched.
    case notAJournal(path: String, reason: String)
    /// The journal path names one of the inputs.
    case isAnInput(path: String)
    /// `status`, `verify` or `undo` named a journal that is not there.
    case noSuchJournal(path: String)
}

extension JournalError: LocalizedError {
    public var errorDescription: String? {
        switch self {
        case .damagedLine(let path, let line, let problem):
            "journal \(path), line \(line): \(problem). The journal cannot be trusted; use --restart to "
                + "start over with a new one (the old one is kept)."
        case .missingHeader(let path):
            "journal \(path) does not start with a header line; is it an aq-import journal? "
                + "Use --restart to start over, or give another --journal."
        case .unsupportedFormat(let path, let version):
            "journal \(path) has format version \(version), newer than this aq-import understands "
                + "(\(JournalHeader.currentFormatVersion)); resume with the aq-import that wrote it, or use --restart."
        case .locked(let path):
            "journal \(path) is in use by another aq-import process; wait for it to finish or stop it."
        case .io(let path, let operation, let errno):
            "journal \(path): \(operation) failed: \(String(cString: strerror(errno)))"
        case .closed(let path):
            "journal \(path) is closed"
        case .notAJournal(let path, let reason):
            "\(path) is not an aq-import journal (\(reason)); it was left as it is. Give --journal a new path "
                + "or an existing journal."
        case .isAnInput(let path):
            "--journal \(path) names one of the inputs; give the journal a path of its own."
        case .noSuchJournal(let path):
            "\(path): no such file"
        }
    }
}
