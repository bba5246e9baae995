#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file descriptor read with plain `read(2)`; stdin when opened with the path `-`.
final class FileByteSource: ByteSource {
    private let fd: Int32
    private let ownsDescriptor: Bool
    let name: String

    init(path: String) throws {
        if path == "-" {
            fd = 0
            ownsDescriptor = false
            name = "<stdin>"
            return
        }
        name = path
        let opened = open(path, O_RDONLY | O_CLOEXEC)
        guard opened >= 0 else {
            throw InputError(file: path, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        var info = stat()
        if fstat(opened, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(opened)
            throw InputError(file: path, message: "is a directory, not an export file")
        }
        fd = opened
        ownsDescriptor = true
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            #if canImport(Glibc)
                let n = Glibc.read(fd, base, buffer.count)
            #else
                let n = Darwin.read(fd, base, buffer.count)
            #endif
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw InputError(file: name, message: "read failed: \(String(cString: strerror(errno)))")
        }
    }
}
