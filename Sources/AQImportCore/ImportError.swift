import Foundation

/// Why a run stopped before it could deliver anything, with what the user should do about it.
public enum ImportError: Error, Sendable, LocalizedError {
    case input(InputError)
    case tooManyRejects(rejected: Int, rows: Int, limit: RejectLimit)
    case noValidRecord
    case cannotWrite(path: String, reason: String)
    /// `--where`, `--one-per`, `--sample`, `--stratify-by` or `--per-stratum` cannot be applied.
    case selection(SelectionError)

    public var errorDescription: String? {
        switch self {
        case .input(let error):
            return error.errorDescription
        case .tooManyRejects(let rejected, let rows, let limit):
            return "stopped: \(rejected) of \(rows) rows rejected, over --max-rejects \(limit); nothing was sent. "
                + "See the rejects file for the reasons."
        case .noValidRecord:
            return "no valid record in the inputs; nothing to send"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .selection(let error):
            return error.description
        }
    }
}
