import Foundation

/// Writes the ids the queue does not hold as files that aq-import reads back: one per kind, CSV or
/// NDJSON, with the export's id column, the scope columns and (for project kinds) `start_time`.
///
/// The journal keeps each source's window, not each id's time, so `start_time` is chosen to plan the
/// same window again: the first missing id of a source gets the window's start plus one second, the
/// others its end minus one second (the planner pads a second either side). With two or more missing
/// ids from one source the replay searches exactly the original window; a single one gets a window
/// of two seconds at its source's start.
public struct MissingIDsWriter: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case csv, ndjson
    }

    public var format: Format

    public init(format: Format) {
        self.format = format
    }

    /// Writes `missing` under `base` (`<base>.<kind>.<format>`) and returns the paths written.
    public func write(_ missing: [Reconciliation.Missing], base: String) throws -> [String] {
        var paths: [String] = []
        for kind in RecordKind.allCases {
            let ofKind = missing.filter { $0.kind == kind }
            guard !ofKind.isEmpty else { continue }
            let path = "\(base).\(kind.rawValue).\(format.rawValue)"
            let writer = try FileWriter(path: path)
            try writer.write(Self.render(ofKind, kind: kind, format: format))
            try writer.close()
            paths.append(path)
        }
        return paths
    }

    static func render(_ missing: [Reconciliation.Missing], kind: RecordKind, format: Format) -> [UInt8] {
        var columns = [QueueRecord.dataKey(for: kind)]
        columns += kind.isProjectKind ? ["project_id", "start_time"] : ["dataset_id", "dataset_version_id"]
        var out: [UInt8] = []
        if format == .csv { appendCSVRow(columns, to: &out) }
        // Keyed by `Scope` (byte-exact): two projects spelled `café` in NFC and NFD are two sources.
        var firstOfWindow: Set<SourceWindow> = []
        for item in missing {
            var values = [item.id.text]
            switch item.scope {
            case .project(let id):
                values.append(id)
                if let window = item.window {
                    let nanos =
                        firstOfWindow.insert(SourceWindow(scope: item.scope, window: window)).inserted
                        ? window.start.nanosecondsSinceEpoch + 1_000_000_000
                        : window.end.nanosecondsSinceEpoch - 1_000_000_000
                    values.append(Timestamp(nanosecondsSinceEpoch: nanos).rfc3339)
                } else {
                    values.append("")
                }
            case .dataset(let id, let version):
                values += [id, version ?? ""]
            }
            switch format {
            case .csv:
                appendCSVRow(values, to: &out)
            case .ndjson:
                out.append(UInt8(ascii: "{"))
                for (index, (column, value)) in zip(columns, values).enumerated() where !value.isEmpty {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    RequestBody.appendJSONString(column, to: &out)
                    out.append(UInt8(ascii: ":"))
                    RequestBody.appendJSONString(value, to: &out)
                }
                out.append(contentsOf: "}\n".utf8)
            }
        }
        return out
    }

    private struct SourceWindow: Hashable {
        var scope: Scope
        var window: TimeWindow
    }

    private static func appendCSVRow(_ fields: [String], to out: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            let bytes = Array(field.utf8)
            if bytes.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 < 0x20 }) {
                out.append(UInt8(ascii: "\""))
                for byte in bytes {
                    if byte == UInt8(ascii: "\"") { out.append(byte) }
                    out.append(byte)
                }
                out.append(UInt8(ascii: "\""))
            } else {
                out += bytes
            }
        }
        out.append(UInt8(ascii: "\n"))
    }
}
