import Foundation

extension Journal {
    /// Reads the journal at `path` back: `nil` if there is none (no file, or not one complete header
    /// line yet). A torn or corrupt last line (a crash mid-write) is ignored and reported in
    /// `ignoredTailBytes`; a damaged line before it throws `JournalError.damagedLine` naming it.
    public static func replay(path: String) throws -> JournalState? {
        try replay(path: path, chunkSize: 1 << 20)
    }

    /// The journal read back for settling its ids (the import's own verification, `status`; `verify`
    /// and a resumed import read it so through `Journal.openExisting` and `Journal.open`):
    /// the landings keep no record ids (only undo needs them; `recordIDsKept` is false), and a
    /// landing's sources that equal those of the same request of `plan` are the plan's, not a copy.
    public static func replayForReconciling(path: String, plan: Plan? = nil) throws -> JournalState? {
        try replay(path: path, chunkSize: 1 << 20, forReconciling: sharedSources(of: plan))
    }

    /// Each request's sources, by request id, for a replay for reconciling to share.
    static func sharedSources(of plan: Plan?) -> [RequestID: [RecordSource]] {
        var sources: [RequestID: [RecordSource]] = [:]
        for request in plan?.requests ?? [] { sources[request.id] = request.sources }
        return sources
    }

    /// Reads the file `chunkSize` bytes at a time (a longer line is gathered whole), up to the length
    /// it had when opened: the whole file would sit beside the state being built, 28 bytes a
    /// delivered id. `forReconciling`: see `replayForReconciling`.
    static func replay(
        path: String, chunkSize: Int, forReconciling sharedSources: [RequestID: [RecordSource]]? = nil
    ) throws -> JournalState? {
        let fd = openFD(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { closeFD(fd) }
        return try replay(descriptor: fd, path: path, chunkSize: chunkSize, forReconciling: sharedSources)
    }

    /// Reads the journal through `fd` (for an open journal, the descriptor that holds its lock).
    static func replay(
        descriptor fd: Int32, path: String, chunkSize: Int, forReconciling sharedSources: [RequestID: [RecordSource]]?
    ) throws -> JournalState? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw JournalError.io(path: path, operation: "stat", errno: errno) }
        // Only a file holds a journal (a directory at the path is none, as before).
        guard info.st_mode & S_IFMT == S_IFREG else { return nil }
        var total = Int(info.st_size)
        var replay = LineReplay(path: path, sharedSources: sharedSources)
        // The bytes read and not yet replayed (a partial line), and where they begin in the file.
        var pending: [UInt8] = []
        var pendingStart = 0
        var offset = 0
        while offset < total {
            let want = min(max(1, chunkSize), total - offset)
            let kept = pending.count
            pending.append(contentsOf: repeatElement(0, count: want))
            let count = pending.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + kept, want, off_t(offset)) }
            if count < 0 {
                pending.removeLast(want)
                if errno == EINTR { continue }
                throw JournalError.io(path: path, operation: "read", errno: errno)
            }
            pending.removeLast(want - count)
            if count == 0 {
                total = offset  // the file shrank since it was opened
                break
            }
            offset += count
            let end = total
            let (used, stopped) = try pending.withUnsafeBytes { bytes in
                try replay.lines(in: bytes, at: pendingStart, fileLength: end)
            }
            if stopped { return replay.state }
            pending.removeFirst(used)
            pendingStart += used
        }
        if !pending.isEmpty {
            // A torn last line: the write that carried it never finished.
            replay.state?.ignoredTailBytes = Int64(pending.count)
        }
        return replay.state
    }

    /// A journal's lines applied one after another to the state they build.
    private struct LineReplay {
        let path: String
        let codec = JournalLineCodec()
        var state: JournalState?
        var lineNumber = 0
        /// Set when replaying for reconciling: drop record ids, share these sources.
        let sharedSources: [RequestID: [RecordSource]]?

        init(path: String, sharedSources: [RequestID: [RecordSource]]? = nil) {
            self.path = path
            self.sharedSources = sharedSources
        }

        /// Applies every whole line of `bytes`, which begin at `start` in a file of `fileLength` bytes.
        /// Returns how many bytes those lines took, and whether a corrupt last line ended the journal.
        mutating func lines(in bytes: UnsafeRawBufferPointer, at start: Int, fileLength: Int) throws -> (Int, Bool) {
            var used = 0
            while used < bytes.count,
                let found = memchr(bytes.baseAddress! + used, Int32(UInt8(ascii: "\n")), bytes.count - used)
            {
                let newline = UnsafeRawPointer(found) - bytes.baseAddress!
                lineNumber += 1
                let lineEnd = start + newline + 1
                switch codec.decode(UnsafeRawBufferPointer(rebasing: bytes[used..<newline])) {
                case .success(let entry):
                    try apply(entry, endingAt: lineEnd)
                case .failure(let problem):
                    if lineEnd == fileLength {
                        state?.ignoredTailBytes = Int64(newline + 1 - used)
                        return (newline + 1, true)
                    }
                    throw JournalError.damagedLine(path: path, line: lineNumber, problem: Journal.describe(problem))
                }
                used = newline + 1
            }
            return (used, false)
        }

        private mutating func apply(_ entry: JournalEntry, endingAt lineEnd: Int) throws {
            if state == nil {
                guard case .header(let header) = entry else { throw JournalError.missingHeader(path: path) }
                state = JournalState(header: header)
                state!.recordIDsKept = sharedSources == nil
            } else if case .header = entry {
                throw JournalError.damagedLine(
                    path: path, line: lineNumber, problem: "a second header line (were two journals joined?)")
            }
            if let sharedSources, case .landed(let request, var landing) = entry {
                landing.recordIDs = PackedStrings()
                if let planned = sharedSources[request], planned == landing.sources { landing.sources = planned }
                state!.apply(.landed(request, landing))
            } else {
                state!.apply(entry)
            }
            state!.lineCount += 1
            state!.validLength = Int64(lineEnd)
        }
    }

    fileprivate static func describe(_ problem: JournalLineCodec.LineProblem) -> String {
        switch problem {
        case .checksumMismatch: "the checksum does not match (the line was edited or damaged)"
        case .noChecksum: "the line has no checksum (it was edited, or was not written by aq-import)"
        case .notJSON: "not a journal line (not valid JSON)"
        case .notAnEntry(let reason): "not a journal entry (\(reason))"
        }
    }
}
