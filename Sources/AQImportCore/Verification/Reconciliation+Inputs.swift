extension Reconciliation {
    /// The three counts for each input (nil for standard input, which cannot be read again): one input
    /// has the totals; several are read again, each id counted once per input it appears in.
    public func countsPerInput(_ configuration: ImportConfiguration) throws -> [ReconciliationCounts?] {
        guard configuration.inputs.count > 1 else { return [total] }
        var options = configuration.readOptions
        options.computeSHA256 = false
        return try configuration.inputs.enumerated().map { index, path -> ReconciliationCounts? in
            guard path != "-" else { return nil }
            var reader = try ExportReader(path: path, fileIndex: index, options: options)
            var ids: [(RecordKind, Scope, RecordID)] = []
            _ = try reader.read { event in
                if case .record(let record) = event { ids.append((record.kind, record.scope, record.id)) }
            }
            return counts(of: ids)
        }
    }
}
