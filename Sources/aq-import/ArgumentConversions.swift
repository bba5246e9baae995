import AQImportCore
import ArgumentParser

extension RecordKind: ExpressibleByArgument {}
extension InputFormat: ExpressibleByArgument {}

extension RejectLimit {
    /// `--max-rejects`, with the range in the message (ArgumentParser names the flag and the value).
    static func parseArgument(_ text: String) throws -> RejectLimit {
        guard let limit = RejectLimit(text) else {
            throw ValidationError("a whole number of rows from 0, or a percentage from 0% to 100% (e.g. 100 or 2%)")
        }
        return limit
    }
}
