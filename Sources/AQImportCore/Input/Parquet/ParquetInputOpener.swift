import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A Parquet file handed to the export reader as a byte source: the reader takes `input` (random
/// access) from it; the sequential `read` serves only the first bytes every input is sniffed for.
final class ParquetFileByteSource: ByteSource {
    let input: RandomAccessInput
    private var offset = 0

    init(_ input: RandomAccessInput) { self.input = input }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, input.size - offset)
        guard n > 0 else { return 0 }
        try input.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<n]))
        offset += n
        return n
    }
}

/// Opening Parquet inputs: files, standard input (spooled), and the `PAR1` magic.
enum ParquetInputOpener {
    /// Bytes a Parquet input handed over as a stream (tests, fuzzers) may take.
    static let maxInMemoryBytes = 1 << 30

    static func open(path: String, name: String) throws -> RandomAccessInput {
        if path == "-" { return try spoolStandardInput(name: name) }
        return try FileRandomAccessInput(path: path, name: name)
    }

    /// Whether the file at `path` starts with `PAR1`.
    static func hasMagic(path: String) -> Bool {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 4)
        let n = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, 4, 0) }
        return n == 4 && head == ParquetReader.magic
    }

    /// The random-access input behind a byte source: the file's own, or the stream read into memory.
    static func input(from raw: ByteSource, sniffed: ByteSource, name: String) throws -> RandomAccessInput {
        if let file = raw as? ParquetFileByteSource { return file.input }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try sniffed.read(into: $0) }
            if n == 0 { break }
            guard bytes.count + n <= maxInMemoryBytes else {
                throw InputError(file: name, message: "a Parquet stream over \(maxInMemoryBytes >> 30) GiB")
            }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return MemoryRandomAccessInput(bytes)
    }

    /// Parquet is read from its end, so standard input is first copied to a private temporary file
    /// (mode 0600), which is unlinked as soon as it is open: nothing is left behind, even after a crash.
    private static func spoolStandardInput(name: String) throws -> RandomAccessInput {
        var template = Array(
            (NSTemporaryDirectory() as NSString).appendingPathComponent("aq-import-stdin-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw InputError(file: name, message: "cannot spool standard input: \(String(cString: strerror(errno)))")
        }
        let path = String(cString: template)
        defer {
            close(fd)
            unlink(path)
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = Glibc.read(0, buffer.baseAddress!, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(file: name, message: "read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            var written = 0
            while written < n {
                let w = write(fd, buffer.baseAddress! + written, n - written)
                if w < 0 {
                    if errno == EINTR { continue }
                    throw InputError(
                        file: name, message: "cannot spool standard input: \(String(cString: strerror(errno)))")
                }
                written += w
            }
        }
        return try FileRandomAccessInput(path: path, name: name)
    }
}
