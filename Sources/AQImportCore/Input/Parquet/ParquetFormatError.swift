/// A Parquet file that cannot be read: what was expected, and where (row group and column when the
/// problem is inside one). Turned into an `InputError` naming the file.
struct ParquetFormatError: Error, Hashable, Sendable {
    var message: String
    var rowGroup: Int?
    var column: String?

    init(_ message: String, rowGroup: Int? = nil, column: String? = nil) {
        self.message = message
        self.rowGroup = rowGroup
        self.column = column
    }

    /// "row group 2, column \"context.span_id\": message" (row groups counted from 1).
    var description: String {
        var parts: [String] = []
        if let rowGroup { parts.append("row group \(rowGroup + 1)") }
        if let column { parts.append("column \(column.debugDescription)") }
        return parts.isEmpty ? message : parts.joined(separator: ", ") + ": " + message
    }

    func located(rowGroup: Int?, column: String?) -> ParquetFormatError {
        var copy = self
        if copy.rowGroup == nil { copy.rowGroup = rowGroup }
        if copy.column == nil { copy.column = column }
        return copy
    }

    static func thrift(_ error: ThriftError, what: String) -> ParquetFormatError {
        ParquetFormatError("\(what) is not valid Thrift (byte \(error.offset)): \(error.message)")
    }
}
