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
        }
    }
}
