import Foundation

/// Why a selection cannot run: a `--where` that does not parse or names a column no input has,
/// options that do not go together, or an input without the column a flag needs.
public enum SelectionError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    case syntax(WhereSyntaxError)
    case unknownColumn(flag: String, column: String, columns: [String])
    case options(String)
    case missingUnitColumn(file: String, unit: SelectionOptions.Unit, looked: [String], columns: [String])
    /// An input whose reader does not hand over the values of the columns a selection names.
    case readerLacksValues(file: String)

    public var errorDescription: String? { description }

    public var description: String {
        switch self {
        case .syntax(let error):
            return error.description
        case .unknownColumn(let flag, let column, let columns):
            return
                "\(flag): no input has a column \(column.debugDescription); the inputs' columns are: \(ColumnMapping.describe(columns))"
        case .options(let message):
            return message
        case .missingUnitColumn(let file, let unit, let looked, let columns):
            let names = looked.map(\.debugDescription).joined(separator: " or ")
            return
                "\(file): --one-per \(unit.rawValue) needs a \(unit.rawValue) id column (\(names)); the file's columns are: \(ColumnMapping.describe(columns))"
        case .readerLacksValues(let file):
            return
                "\(file): this input's format does not hand column values to --where, --stratify-by or --one-per yet; convert it to CSV or NDJSON"
        }
    }
}
