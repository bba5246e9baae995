import Foundation
import Testing

@testable import AQImportCore

/// Writing Parquet files with pyarrow (the project's `.venv`) at test time, and reading them back.
enum ParquetTestSupport {
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url
    }()

    static var python: String? {
        let path = packageRoot.appendingPathComponent(".venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    static let fixtures = packageRoot.appendingPathComponent("Tests/AQImportCoreTests/Parquet/Fixtures")

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("aq-parquet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `script` with the venv's Python in `directory`; returns its standard output.
    @discardableResult
    static func runPython(_ script: String, in directory: URL) throws -> String {
        guard let python else { throw PythonMissing() }
        let file = directory.appendingPathComponent("script.py")
        try script.write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [file.path]
        process.currentDirectoryURL = directory
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PythonFailed(message: String(decoding: errors, as: UTF8.self))
        }
        return String(decoding: output, as: UTF8.self)
    }

    struct PythonMissing: Error, CustomStringConvertible {
        var description: String { "no .venv/bin/python (run scripts/bootstrap): the pyarrow cross-check is skipped" }
    }

    struct PythonFailed: Error, CustomStringConvertible {
        var message: String
        var description: String { "python failed: \(message)" }
    }

    struct Result {
        var records: [RecordRef] = []
        var rejections: [Rejection] = []
        var stats = FileReadStats()
        var reader: ExportReader
    }

    static func read(path: String, options: ReadOptions = ReadOptions(projectID: "p1")) throws -> Result {
        var reader = try ExportReader(path: path, fileIndex: 0, options: options)
        var result = Result(reader: reader)
        result.stats = try reader.read { event in
            switch event {
            case .record(let r): result.records.append(r)
            case .rejected(let r): result.rejections.append(r)
            case .records: Issue.record("runs that were not asked for")
            }
        }
        try RecordRunAgreement.check(
            records: result.records, rejections: result.rejections, stats: result.stats, options: options
        ) { try ExportReader(path: path, fileIndex: 0, options: $0) }
        return result
    }

    static func read(bytes: [UInt8], options: ReadOptions = ReadOptions(projectID: "p1")) throws -> Result {
        var reader = try ExportReader(bytes: bytes, name: "test.parquet", format: .parquet, options: options)
        var result = Result(reader: reader)
        result.stats = try reader.read { event in
            switch event {
            case .record(let r): result.records.append(r)
            case .rejected(let r): result.rejections.append(r)
            case .records: Issue.record("runs that were not asked for")
            }
        }
        try RecordRunAgreement.check(
            records: result.records, rejections: result.rejections, stats: result.stats, options: options
        ) { try ExportReader(bytes: bytes, name: "test.parquet", format: .parquet, options: $0) }
        return result
    }

    /// The InputError reading `bytes` as Parquet gives, or nil when it reads.
    static func error(bytes: [UInt8], options: ReadOptions = ReadOptions(projectID: "p1")) -> InputError? {
        do {
            _ = try read(bytes: bytes, options: options)
            return nil
        } catch let error as InputError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }
}
