import Foundation

/// `--selection-out FILE`: the picked records as NDJSON, one object a line, in the plan's order:
/// `{"kind", "project_id" | "dataset_id" (+ "dataset_version_id"), "id", "time", "stratum", "unit"}`
/// (`stratum` with `--stratify-by`, `null` for the missing value's stratum; `unit` with `--one-per`).
public enum SelectionOutput {
    private struct Line: Encodable {
        var kind: String
        var projectID: String?
        var datasetID: String?
        var datasetVersionID: String?
        var id: String
        var time: String?
        var stratified: Bool
        var stratum: String?
        var unitKind: String?
        var unit: String?

        enum CodingKeys: String, CodingKey {
            case kind, projectID = "project_id", datasetID = "dataset_id",
                datasetVersionID = "dataset_version_id", id, time, stratum, unitKind = "unit_kind", unit
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(kind, forKey: .kind)
            try c.encodeIfPresent(projectID, forKey: .projectID)
            try c.encodeIfPresent(datasetID, forKey: .datasetID)
            try c.encodeIfPresent(datasetVersionID, forKey: .datasetVersionID)
            try c.encode(id, forKey: .id)
            try c.encodeIfPresent(time, forKey: .time)
            if stratified { try c.encode(stratum, forKey: .stratum) }
            try c.encodeIfPresent(unitKind, forKey: .unitKind)
            try c.encodeIfPresent(unit, forKey: .unit)
        }
    }

    /// One line per picked record (without the newline).
    public static func lines(_ picked: [Selector.Picked], options: SelectionOptions) -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return picked.map { p in
            var line = Line(
                kind: p.record.kind.rawValue, id: p.record.id.text, time: p.record.timestamp?.rfc3339,
                stratified: options.stratifyBy != nil, stratum: p.stratum, unitKind: options.onePer?.rawValue,
                unit: p.unit?.text)
            switch p.record.scope {
            case .project(let id): line.projectID = id
            case .dataset(let id, let version):
                line.datasetID = id
                line.datasetVersionID = version
            }
            let data = (try? encoder.encode(line)) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
    }

    public static func write(_ picked: [Selector.Picked], options: SelectionOptions, to path: String)
        throws(FileWriterError)
    {
        let writer = try FileWriter(path: path)
        do {
            for line in lines(picked, options: options) { try writer.write(line + "\n") }
            try writer.close()
        } catch {
            writer.discard()
            throw error
        }
    }
}
