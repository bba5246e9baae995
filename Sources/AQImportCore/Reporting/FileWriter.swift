#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A buffered file written through POSIX calls, created with mode 0600: rejects, plans and summaries
/// may hold ids a user would not share.
public final class FileWriter {
    public let path: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let capacity = 1 << 16

    public init(path: String, append: Bool = false) throws {
        self.path = path
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC)
        fd = open(path, flags, 0o600)
        guard fd >= 0 else { throw FileWriterError(path: path, errno: errno) }
        buffer.reserveCapacity(capacity)
    }

    deinit {
        if fd >= 0 { _ = try? close() }
    }

    public func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { try flush() }
    }

    public func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    public func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { raw in
                #if canImport(Glibc)
                    Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                #else
                    Darwin.write(fd, raw.baseAddress! + offset, raw.count - offset)
                #endif
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw FileWriterError(path: path, errno: errno)
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    public func close() throws {
        guard fd >= 0 else { return }
        defer {
            #if canImport(Glibc)
                _ = Glibc.close(fd)
            #else
                _ = Darwin.close(fd)
            #endif
            fd = -1
        }
        try flush()
    }
}

public struct FileWriterError: Error, CustomStringConvertible {
    public var path: String
    public var errno: Int32

    public var description: String { "cannot write \(path): \(String(cString: strerror(errno)))" }
}

extension FileWriter {
    /// Writes `data` to a new file (mode 0600), replacing what was there.
    public static func write(_ data: some Sequence<UInt8>, toPath path: String) throws {
        let writer = try FileWriter(path: path)
        try writer.write(Array(data))
        try writer.close()
    }
}
