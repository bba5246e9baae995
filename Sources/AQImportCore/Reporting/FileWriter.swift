#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Every file aq-import writes (rejects, plans, summaries, status and verify outputs) goes through this
/// type. The bytes go to a temporary file beside the target, created with mode 0600 (these files may
/// hold ids a user would not share), and `close()` renames it onto the target: the target changes only
/// when the output is complete, and only if it is a regular file or nothing. A device, fifo, socket or
/// directory is refused before anything is written (`checkTarget` says so up front, for a command's
/// validation). A link to a regular file is kept and the file it names replaced; a link to anything
/// else (`/dev/stdout`) is refused like what it names.
///
/// `append: true` starts from a copy of the target's bytes, so that a file written earlier in the run
/// can be added to under the same scheme. `-` is standard output where the output allows it
/// (`allowStandardOutput: true`); elsewhere it is a file named `-`.
///
/// Not closing (an error on the way) leaves the target as it was: the temporary file is removed.
///
/// A stop while reading ends the process at once (no deinit runs), so every open writer is listed
/// and `settleForExit()` puts each in order first: a writer made with `keepOnInterrupt` (the rejects)
/// is renamed onto its target with every row written so far, any other's temporary file is removed.
public final class FileWriter {
    private struct Pending {
        var path: String
        var temporaryPath: String
        var target: String
        var keep: Bool
    }

    private static let pending = Locked<[ObjectIdentifier: Pending]>([:])

    public let path: String
    private let target: String
    private let temporaryPath: String?
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let capacity = 1 << 16
    /// Each write goes to the file at once, so that what `settleForExit()` keeps is whole rows.
    private let writesThrough: Bool

    public init(
        path: String, append: Bool = false, allowStandardOutput: Bool = false, keepOnInterrupt: Bool = false
    ) throws(FileWriterError) {
        self.path = path
        writesThrough = keepOnInterrupt
        if allowStandardOutput && path == "-" {
            target = path
            temporaryPath = nil
            fd = STDOUT_FILENO
            return
        }
        let target = try Self.resolvedTarget(path)
        let directory = Self.directory(of: target)
        let base = target.split(separator: "/").last.map(String.init) ?? "output"
        var template = Array("\(directory)/.\(base).aq-tmp-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw FileWriterError(path: path, errno: errno) }
        let temporary = String(cString: template)
        self.target = target
        self.temporaryPath = temporary
        self.fd = descriptor
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        _ = fchmod(descriptor, 0o600)
        buffer.reserveCapacity(capacity)
        let entry = Pending(path: path, temporaryPath: temporary, target: target, keep: keepOnInterrupt)
        Self.pending.withLock { $0[ObjectIdentifier(self)] = entry }
        if append {
            do {
                try copyExisting()
            } catch {
                discard()
                throw error
            }
        }
    }

    deinit {
        discard()
    }

    /// Throws when `path` names something other than a regular file or nothing (a directory, a
    /// device, a fifo, a socket, a link to one of those or to nothing), or a file in a directory that
    /// does not exist.
    public static func checkTarget(_ path: String, allowStandardOutput: Bool = false) throws(FileWriterError) {
        if allowStandardOutput && path == "-" { return }
        _ = try resolvedTarget(path)
    }

    /// The file to replace: `path`, or the regular file a link at `path` names (the link is kept).
    static func resolvedTarget(_ path: String) throws(FileWriterError) -> String {
        guard !path.isEmpty else { throw FileWriterError(path: path, reason: "an empty path") }
        var info = stat()
        guard stat(path, &info) == 0 else {
            let error = errno
            guard error == ENOENT else { throw FileWriterError(path: path, errno: error) }
            if lstat(path, &info) == 0 {
                throw FileWriterError(path: path, reason: "it is a link to nothing; name a file")
            }
            // Said now rather than after the run's work, when the file is written.
            let parent = directory(of: path)
            guard stat(parent, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                throw FileWriterError(path: path, reason: "no directory \(parent)")
            }
            return path
        }
        if let kind = Self.notRegular(info.st_mode) {
            throw FileWriterError(path: path, reason: "it is \(kind), not a regular file; name a file")
        }
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return path }
        guard let resolved = realpath(path, nil) else { throw FileWriterError(path: path, errno: errno) }
        defer { free(resolved) }
        let target = String(cString: resolved)
        // `/dev/stdout` and the like name whatever a descriptor holds, even a regular file.
        if [target, path].contains(where: { $0.hasPrefix("/proc/") || $0.hasPrefix("/dev/") }) {
            throw FileWriterError(path: path, reason: "it is a link to \(target); use - for standard output")
        }
        return target
    }

    private static func notRegular(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: "a directory"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFIFO: "a fifo"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
        }
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let directory = String(path[..<slash])
        return directory.isEmpty ? "/" : directory
    }

    private func copyExisting() throws(FileWriterError) {
        let source = open(target, O_RDONLY | O_CLOEXEC)
        if source < 0 {
            if errno == ENOENT { return }
            throw FileWriterError(path: path, errno: errno)
        }
        defer { _ = Self.closeDescriptor(source) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(source, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileWriterError(path: path, errno: errno)
            }
            if count == 0 { return }
            try write(Array(chunk[..<count]))
        }
    }

    public func write(_ bytes: [UInt8]) throws(FileWriterError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity || writesThrough { try flush() }
    }

    public func write(_ text: String) throws(FileWriterError) {
        try write(Array(text.utf8))
    }

    public func flush() throws(FileWriterError) {
        guard fd >= 0 else { throw FileWriterError(path: path, reason: "already closed") }
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

    /// Writes what is buffered and puts the file in place. On failure the target is left as it was.
    public func close() throws(FileWriterError) {
        guard fd >= 0 else { return }
        guard let temporaryPath else {
            defer { fd = -1 }
            try flush()
            return
        }
        do {
            try flush()
            // The target may have been swapped for something else while the output was written.
            _ = try Self.resolvedTarget(target)
        } catch {
            discard()
            throw error
        }
        Self.pending.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(self)) }
        let closed = Self.closeDescriptor(fd)
        let closeError = errno
        fd = -1
        guard closed == 0 else {
            unlink(temporaryPath)
            throw FileWriterError(path: path, errno: closeError)
        }
        guard rename(temporaryPath, target) == 0 else {
            let error = errno
            unlink(temporaryPath)
            throw FileWriterError(path: path, errno: error)
        }
    }

    /// Drops what was written; the target stays as it was. Nothing happens after `close()`.
    public func discard() {
        guard fd >= 0 else { return }
        if let temporaryPath {
            Self.pending.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(self)) }
            _ = Self.closeDescriptor(fd)
            unlink(temporaryPath)
        }
        fd = -1
    }

    /// For a process about to exit with writers open: keeps what the `keepOnInterrupt` ones wrote (when
    /// their target is still a regular file or nothing) and removes every other temporary file.
    /// Returns the paths kept. The writers are of no use afterwards.
    public static func settleForExit() -> [String] {
        settle { _ in true }
    }

    /// `settleForExit()` for the writers whose target `include` accepts (a test settles its own only).
    static func settle(_ include: (String) -> Bool) -> [String] {
        pending.withLock { entries in
            var kept: [String] = []
            for (key, entry) in entries.sorted(by: { $0.value.temporaryPath < $1.value.temporaryPath })
            where include(entry.target) {
                entries.removeValue(forKey: key)
                if entry.keep, (try? resolvedTarget(entry.target)) != nil,
                    rename(entry.temporaryPath, entry.target) == 0
                {
                    kept.append(entry.path)
                } else {
                    unlink(entry.temporaryPath)
                }
            }
            return kept
        }
    }

    private static func closeDescriptor(_ descriptor: Int32) -> Int32 {
        #if canImport(Glibc)
            Glibc.close(descriptor)
        #else
            Darwin.close(descriptor)
        #endif
    }
}

public struct FileWriterError: Error, CustomStringConvertible {
    public var path: String
    /// Why, without the path: `Permission denied`, `it is a directory, not a regular file; name a file`.
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public init(path: String, errno: Int32) {
        self.init(path: path, reason: String(cString: strerror(errno)))
    }

    public var description: String { "cannot write \(path): \(reason)" }
}

extension FileWriter {
    /// Writes `data` to the file at `path` in one go, replacing it as `close()` does.
    public static func write(
        _ data: some Sequence<UInt8>, toPath path: String, allowStandardOutput: Bool = false
    ) throws(FileWriterError) {
        let writer = try FileWriter(path: path, allowStandardOutput: allowStandardOutput)
        try writer.write(Array(data))
        try writer.close()
    }
}
