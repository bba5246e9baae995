#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Bytes read at an offset: a Parquet file (with `pread`), or memory in tests and fuzzers. Counts
/// what it reads, so that a run can show how little of a file it touched.
class RandomAccessInput {
    let size: Int
    private(set) var bytesRead = 0

    init(size: Int) { self.size = size }

    /// Fills `buffer` from `offset`; the range must lie inside the input.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws {
        precondition(offset >= 0 && buffer.count <= size - offset)
        try fill(at: offset, buffer)
        bytesRead += buffer.count
    }

    func fill(at offset: Int, _ buffer: UnsafeMutableRawBufferPointer) throws { fatalError("abstract") }
}

final class MemoryRandomAccessInput: RandomAccessInput {
    private let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        super.init(size: bytes.count)
    }

    override func fill(at offset: Int, _ buffer: UnsafeMutableRawBufferPointer) throws {
        bytes.withUnsafeBytes { src in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[offset..<offset + buffer.count]))
        }
    }
}

final class FileRandomAccessInput: RandomAccessInput {
    private let fd: Int32
    let name: String

    init(path: String, name: String) throws {
        self.name = name
        let opened = open(path, O_RDONLY | O_CLOEXEC)
        guard opened >= 0 else {
            throw InputError(file: name, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(opened, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(opened)
            throw InputError(file: name, message: "cannot stat: \(reason)")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            close(opened)
            throw InputError(file: name, message: "is a directory, not an export file")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(opened)
            throw InputError(
                file: name, message: "Parquet needs a regular file (it is read from the end); this is a pipe or device")
        }
        fd = opened
        super.init(size: Int(info.st_size))
    }

    deinit { close(fd) }

    override func fill(at offset: Int, _ buffer: UnsafeMutableRawBufferPointer) throws {
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(file: name, message: "read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { throw InputError(file: name, message: "the file shrank while it was read") }
            done += n
        }
    }
}
