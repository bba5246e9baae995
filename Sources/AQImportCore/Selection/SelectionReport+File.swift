import Foundation

extension SelectionReport {
    /// Where a real import keeps its report beside its journal, for `status`.
    public static func path(journal: String) -> String { journal + ".selection.json" }

    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileWriter.write(try encoder.encode(self), toPath: path)
    }

    /// The report written beside a journal, or nil when there is none (an import without a selection).
    public static func read(at path: String) -> SelectionReport? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try? decoder.decode(SelectionReport.self, from: data)
    }
}
