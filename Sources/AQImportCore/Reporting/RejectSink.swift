import Foundation

/// Writes rejected rows in their input's own format, so that they can be fixed and fed back: a CSV
/// input's rejects as CSV (`aq_error`, `aq_file`, `aq_line`, then the original columns), an NDJSON
/// input's as the original object with those three fields added. One file per input that has rejects,
/// created on the first reject with mode 0600. A run stopped while reading keeps the rows rejected so
/// far (`FileWriter.settleForExit()`).
public final class RejectSink {
    public struct Output: Sendable, Hashable {
        public var input: String
        public var path: String
        public var count: Int
    }

    /// The columns a CSV rejects file puts before the input's own.
    static let csvColumns = ["aq_error", "aq_file", "aq_line"]

    private let pathForInput: (Int) -> String
    private var writers: [Int: FileWriter] = [:]
    private var csvHeaderWritten: Set<Int> = []
    private var counts: [Int: Int] = [:]
    private var inputNames: [Int: String] = [:]

    private let append: Bool

    /// - Parameters:
    ///   - pathForInput: where the rejects of the input with that index go.
    ///   - append: add to existing files (a CSV header only when the file is new or empty).
    public init(append: Bool = false, pathForInput: @escaping (Int) -> String) {
        self.pathForInput = pathForInput
        self.append = append
    }

    /// The default place: `<input base name>.rejects.<csv|ndjson>` in `directory` (stdin: `stdin`).
    public static func defaultPath(input: String, format: InputFormat, directory: String) -> String {
        var base = input == "-" ? "stdin" : (input as NSString).lastPathComponent
        for suffix in [".gz", ".csv", ".ndjson", ".jsonl", ".json", ".parquet", ".pq"] where base.hasSuffix(suffix) {
            base = String(base.dropLast(suffix.count))
        }
        return (directory as NSString).appendingPathComponent("\(base).rejects.\(format.rejectsFormat.rawValue)")
    }

    public func write(_ rejection: Rejection, fileIndex: Int) throws {
        let writer = try writer(for: fileIndex, name: rejection.file)
        counts[fileIndex, default: 0] += 1
        var line: [UInt8] = []
        switch rejection.original {
        case .csv(var header, var fields):
            // A rejects file fed back in: its own aq_ columns are replaced, not stacked.
            if header.starts(with: Self.csvColumns) {
                header.removeFirst(Self.csvColumns.count)
                fields.removeFirst(min(Self.csvColumns.count, fields.count))
            }
            if !csvHeaderWritten.contains(fileIndex) {
                csvHeaderWritten.insert(fileIndex)
                appendCSVRow(Self.csvColumns + header, to: &line)
            }
            appendCSVRow([rejection.reason.message, rejection.file, String(rejection.line)] + fields, to: &line)
        case .ndjson(let original):
            line = Self.annotatedObject(original, rejection: rejection)
            line.append(0x0A)
        case .parquetRow(let object):
            line = Self.annotatedObject(object, rejection: rejection, positionKey: "aq_row")
            line.append(0x0A)
        case .record(let kind, let scope, let id):
            line = Self.annotatedObject(Self.recordObject(kind: kind, scope: scope, id: id), rejection: rejection)
            line.append(0x0A)
        }
        try writer.write(line)
    }

    /// Flushes and closes every file; returns where the rejects went.
    public func close() throws -> [Output] {
        var outputs: [Output] = []
        for (index, writer) in writers.sorted(by: { $0.key < $1.key }) {
            try writer.close()
            outputs.append(Output(input: inputNames[index] ?? "", path: writer.path, count: counts[index] ?? 0))
        }
        writers.removeAll()
        return outputs
    }

    private func writer(for index: Int, name: String) throws -> FileWriter {
        if let writer = writers[index] { return writer }
        let path = pathForInput(index)
        let existing = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber
        let writer = try FileWriter(path: path, append: append, keepOnInterrupt: true)
        if append, let existing, existing.intValue > 0 { csvHeaderWritten.insert(index) }
        writers[index] = writer
        inputNames[index] = name
        return writer
    }

    private func appendCSVRow(_ fields: [String], to out: inout [UInt8]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            if field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
                out.append(0x22)
                for byte in field.utf8 {
                    if byte == 0x22 { out.append(0x22) }
                    out.append(byte)
                }
                out.append(0x22)
            } else {
                out.append(contentsOf: field.utf8)
            }
        }
        out.append(0x0A)
    }

    /// The original object with `aq_error`, `aq_file` and `aq_line` added before its closing brace.
    static func annotatedObject(_ original: String, rejection: Rejection, positionKey: String = "aq_line") -> [UInt8] {
        var extra: [UInt8] = []
        RequestBody.appendJSONString("aq_error", to: &extra)
        extra.append(UInt8(ascii: ":"))
        RequestBody.appendJSONString(rejection.reason.message, to: &extra)
        extra.append(UInt8(ascii: ","))
        RequestBody.appendJSONString("aq_file", to: &extra)
        extra.append(UInt8(ascii: ":"))
        RequestBody.appendJSONString(rejection.file, to: &extra)
        extra.append(contentsOf: ",\"\(positionKey)\":\(rejection.line)".utf8)

        var bytes = Array(original.utf8)
        while let last = bytes.last, last == 0x20 || last == 0x09 || last == 0x0D { bytes.removeLast() }
        guard bytes.last == UInt8(ascii: "}") else {
            // Not an object (it was rejected for that): keep the text as a field of its own.
            var out: [UInt8] = Array("{\"aq_original\":".utf8)
            RequestBody.appendJSONString(original, to: &out)
            out.append(UInt8(ascii: ","))
            return out + extra + [UInt8(ascii: "}")]
        }
        bytes.removeLast()
        var isEmptyObject = true
        for byte in bytes.reversed() where byte != 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D {
            isEmptyObject = byte == UInt8(ascii: "{")
            break
        }
        if !isEmptyObject { bytes.append(UInt8(ascii: ",")) }
        return bytes + extra + [UInt8(ascii: "}")]
    }

    static func recordObject(kind: RecordKind, scope: Scope, id: String) -> String {
        var out: [UInt8] = Array("{\"kind\":".utf8)
        RequestBody.appendJSONString(kind.rawValue, to: &out)
        switch scope {
        case .project(let project):
            out.append(contentsOf: ",\"project_id\":".utf8)
            RequestBody.appendJSONString(project, to: &out)
        case .dataset(let dataset, let version):
            out.append(contentsOf: ",\"dataset_id\":".utf8)
            RequestBody.appendJSONString(dataset, to: &out)
            if let version {
                out.append(contentsOf: ",\"dataset_version_id\":".utf8)
                RequestBody.appendJSONString(version, to: &out)
            }
        }
        out.append(contentsOf: ",\"id\":".utf8)
        RequestBody.appendJSONString(id, to: &out)
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }
}
