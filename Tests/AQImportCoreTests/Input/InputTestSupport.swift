import CZlib
import Foundation
import Testing

@testable import AQImportCore

/// Reads `text` as an export, handing the reader `chunkSize` bytes at a time.
struct ReadResult {
    var records: [RecordRef] = []
    var rejections: [Rejection] = []
    var stats = FileReadStats()
    var reader: ExportReader
}

enum InputTestSupport {
    static let chunkSizes = [1, 2, 7, 4096]

    static func open(
        _ bytes: [UInt8], format: InputFormat, options: ReadOptions = ReadOptions(projectID: "p1"),
        chunkSize: Int = 4096, name: String = "test"
    ) throws -> ExportReader {
        try ExportReader(
            source: MemoryByteSource(bytes, chunkSize: chunkSize), name: name, fileIndex: 0, format: format,
            options: options)
    }

    static func read(
        _ text: String, format: InputFormat, options: ReadOptions = ReadOptions(projectID: "p1"), chunkSize: Int = 4096
    ) throws -> ReadResult {
        try read(Array(text.utf8), format: format, options: options, chunkSize: chunkSize)
    }

    static func read(
        _ bytes: [UInt8], format: InputFormat, options: ReadOptions = ReadOptions(projectID: "p1"),
        chunkSize: Int = 4096
    ) throws -> ReadResult {
        var reader = try open(bytes, format: format, options: options, chunkSize: chunkSize)
        var result = ReadResult(reader: reader)
        result.stats = try reader.read { event in
            switch event {
            case .record(let r): result.records.append(r)
            case .rejected(let r): result.rejections.append(r)
            case .records: Issue.record("runs that were not asked for")
            }
        }
        try RecordRunAgreement.check(
            records: result.records, rejections: result.rejections, stats: result.stats, options: options
        ) { try open(bytes, format: format, options: $0, chunkSize: chunkSize) }
        return result
    }

    /// The InputError thrown by opening or reading, or nil.
    static func error(
        _ text: String, format: InputFormat, options: ReadOptions = ReadOptions(projectID: "p1"), chunkSize: Int = 4096
    ) -> InputError? {
        error(Array(text.utf8), format: format, options: options, chunkSize: chunkSize)
    }

    static func error(
        _ bytes: [UInt8], format: InputFormat, options: ReadOptions = ReadOptions(projectID: "p1"),
        chunkSize: Int = 4096
    ) -> InputError? {
        do {
            _ = try read(bytes, format: format, options: options, chunkSize: chunkSize)
            return nil
        } catch let error as InputError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    static func time(_ text: String) -> Timestamp {
        guard case .valid(let t) = TimestampParser.parse(text) else {
            fatalError("bad test timestamp \(text)")
        }
        return t
    }

    /// gzip-compresses `bytes` with zlib (a gzip wrapper: windowBits 16 + 15).
    static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        // zlib checks that the stream never moves: keep it at one address.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            deflateEnd(stream)
            stream.deallocate()
        }
        let initStatus = deflateInit2_(
            stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
            Int32(MemoryLayout<z_stream>.size))
        precondition(initStatus == Z_OK)
        var input = bytes
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, UInt(bytes.count))) + 64)
        let produced = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.pointee.next_in = inBuf.baseAddress
                stream.pointee.avail_in = UInt32(inBuf.count)
                stream.pointee.next_out = outBuf.baseAddress
                stream.pointee.avail_out = UInt32(outBuf.count)
                let status = deflate(stream, Z_FINISH)
                precondition(status == Z_STREAM_END)
                return outBuf.count - Int(stream.pointee.avail_out)
            }
        }
        return Array(output[0..<produced])
    }

    /// A fresh directory for one test, removed by the caller's `defer`.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("aq-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
