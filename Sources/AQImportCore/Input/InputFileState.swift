#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a regular input file is on disk (device, inode, size, modification time): taken before it is
/// opened and again after it is read, so that a file that grew, shrank, was rewritten or replaced
/// while it was read stops the run before anything is sent (the plan and the journal's fingerprint
/// would describe bytes that are no longer there). Standard input, pipes and devices have no state.
struct InputFileState: Sendable, Hashable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modifiedSeconds: Int64
    var modifiedNanoseconds: Int64

    /// The state of the file at `path` (links followed), or nil when it is not a regular file.
    static func of(path: String) -> InputFileState? {
        guard path != "-" else { return nil }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        #if canImport(Darwin)
            let modified = info.st_mtimespec
        #else
            let modified = info.st_mtim
        #endif
        return InputFileState(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            modifiedSeconds: Int64(modified.tv_sec), modifiedNanoseconds: Int64(modified.tv_nsec))
    }

    /// Whether both name one file.
    func isSameFile(as other: InputFileState) -> Bool {
        device == other.device && inode == other.inode
    }

    /// What changed between this state (before reading) and `after`, given that `bytesRead` bytes were
    /// read; nil when nothing did.
    func change(to after: InputFileState?, bytesRead: Int) -> String? {
        guard let after else { return "changed while it was read: it is no longer there as a regular file" }
        if !isSameFile(as: after) { return "changed while it was read: another file took its place" }
        if after.size != size { return "changed while it was read: its size went from \(size) to \(after.size) bytes" }
        if after.modifiedSeconds != modifiedSeconds || after.modifiedNanoseconds != modifiedNanoseconds {
            return "changed while it was read: it was modified"
        }
        if Int64(bytesRead) != size {
            return "changed while it was read: \(bytesRead) bytes were read of its \(size)"
        }
        return nil
    }

    /// The first input given twice, as (earlier index, later index): the same path, standard input
    /// twice, or two paths naming one file (links, `./`, `..`).
    static func firstDuplicate(in inputs: [String]) -> (Int, Int)? {
        var seen: [(index: Int, state: InputFileState)] = []
        var stdin: Int?
        for (index, path) in inputs.enumerated() {
            if path == "-" {
                if let earlier = stdin { return (earlier, index) }
                stdin = index
                continue
            }
            if let earlier = inputs[..<index].firstIndex(of: path) { return (earlier, index) }
            guard let state = of(path: path) else { continue }
            if let earlier = seen.first(where: { $0.state.isSameFile(as: state) }) { return (earlier.index, index) }
            seen.append((index, state))
        }
        return nil
    }
}
