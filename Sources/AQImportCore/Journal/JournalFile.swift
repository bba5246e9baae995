import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The journal's file descriptor: created 0600 (its directory 0700), locked against a second process,
/// written and fsynced on a serial queue of its own so that the blocking calls never hold a thread of
/// the cooperative pool.
final class JournalFile: @unchecked Sendable {
    let path: String
    // Only touched on `queue` (or before the first use of `queue`, while opening).
    private var fd: Int32
    private let queue: DispatchQueue

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
        self.queue = DispatchQueue(label: "aq-import.journal")
    }

    /// Opens the journal for reading and appending, creating it (and its directory) if missing.
    static func open(path: String) throws -> JournalFile {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700])
            } catch {
                throw JournalError.io(path: path, operation: "creating directory \(directory)", errno: errno)
            }
        }
        var info = stat()
        if lstat(path, &info) == 0 {
            // Never open, chmod, truncate or rename what is not a journal (an input named by mistake, a
            // device, a directory).
            if info.st_mode & S_IFMT == S_IFDIR {
                throw JournalError.notAJournal(path: path, reason: "it is a directory")
            }
            if info.st_mode & S_IFMT != S_IFREG {
                throw JournalError.notAJournal(path: path, reason: "it is not a regular file")
            }
            if info.st_size > 0 && !startsLikeAJournal(path) {
                throw JournalError.notAJournal(path: path, reason: "it does not start with a journal line")
            }
        }
        let fd = openFD(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw JournalError.io(path: path, operation: "open", errno: errno) }
        // An existing journal keeps its mode otherwise; it holds request ids and server answers.
        guard fchmod(fd, 0o600) == 0 else {
            let code = errno
            closeFD(fd)
            throw JournalError.io(path: path, operation: "chmod", errno: code)
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            closeFD(fd)
            if code == EWOULDBLOCK { throw JournalError.locked(path: path) }
            throw JournalError.io(path: path, operation: "lock", errno: code)
        }
        return JournalFile(path: path, fd: fd)
    }

    /// The journal read back through the descriptor that holds the lock (see `Journal.replay`).
    func replay(forReconciling sharedSources: [RequestID: [RecordSource]]?) throws -> JournalState? {
        try Journal.replay(descriptor: fd, path: path, chunkSize: 1 << 20, forReconciling: sharedSources)
    }

    /// Cuts the file to `length` bytes (a torn last line) and makes that durable.
    func truncate(to length: Int64) throws {
        guard ftruncate(fd, off_t(length)) == 0 else {
            throw JournalError.io(path: path, operation: "truncate", errno: errno)
        }
        guard fsync(fd) == 0 else { throw JournalError.io(path: path, operation: "fsync", errno: errno) }
    }

    /// Appends `bytes` at the end of the file, then fsyncs if asked.
    func append(_ bytes: [UInt8], sync: Bool) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.async {
                continuation.resume(with: Result { try self.appendNow(bytes, sync: sync) })
            }
        }
    }

    private func appendNow(_ bytes: [UInt8], sync: Bool) throws {
        guard fd >= 0 else { throw JournalError.closed(path: path) }
        guard lseek(fd, 0, SEEK_END) >= 0 else { throw JournalError.io(path: path, operation: "seek", errno: errno) }
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw JournalError.io(path: path, operation: "write", errno: errno) }
            offset += count
        }
        if sync, fsync(fd) != 0 { throw JournalError.io(path: path, operation: "fsync", errno: errno) }
    }

    /// Makes the file's directory entry durable (after creating or renaming).
    func syncDirectory() {
        let directory = (path as NSString).deletingLastPathComponent
        let dirFD = openFD(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        guard dirFD >= 0 else { return }
        _ = fsync(dirFD)
        closeFD(dirFD)
    }

    /// Tests hold the writes back to watch lines pile up into one group.
    func suspendWrites() { queue.suspend() }
    func resumeWrites() { queue.resume() }

    /// Closes the descriptor (releasing the lock) once pending appends are through.
    func close() {
        queue.sync {
            if fd >= 0 {
                closeFD(fd)
                fd = -1
            }
        }
    }

    deinit {
        if fd >= 0 { closeFD(fd) }
    }
}

// At file scope, so that the names do not resolve to JournalFile's own `open` and `close`.
/// Whether the file's first bytes are those of a journal line (`{"c":"`).
private func startsLikeAJournal(_ path: String) -> Bool {
    let fd = openFD(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
    guard fd >= 0 else { return false }
    defer { closeFD(fd) }
    var prefix = [UInt8](repeating: 0, count: 6)
    let count = prefix.withUnsafeMutableBytes { read(fd, $0.baseAddress, 6) }
    return count == 6 && prefix == Array(#"{"c":""#.utf8)
}

func openFD(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 {
    open(path, flags, mode)
}

func closeFD(_ fd: Int32) {
    _ = close(fd)
}
