import Foundation

extension Journal {
    /// Reads the journal at `path` back: `nil` if there is none (no file, or not one complete header
    /// line yet). A torn or corrupt last line (a crash mid-write) is ignored and reported in
    /// `ignoredTailBytes`; a damaged line before it throws `JournalError.damagedLine` naming it.
    public static func replay(path: String) throws -> JournalState? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        // Read in place: a copy of the file (28 bytes a delivered id) would sit beside it while the
        // state is built.
        return try data.withUnsafeBytes { try replay(buffer: $0, path: path) }
    }

    static func replay(bytes: [UInt8], path: String) throws -> JournalState? {
        try bytes.withUnsafeBytes { try replay(buffer: $0, path: path) }
    }

    private static func replay(buffer bytes: UnsafeRawBufferPointer, path: String) throws -> JournalState? {
        let codec = JournalLineCodec()
        var state: JournalState?
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            lineNumber += 1
            guard let found = memchr(bytes.baseAddress! + start, Int32(UInt8(ascii: "\n")), bytes.count - start)
            else {
                // A torn last line: the write that carried it never finished.
                state?.ignoredTailBytes = Int64(bytes.count - start)
                break
            }
            let newline = UnsafeRawPointer(found) - bytes.baseAddress!
            let isLast = newline + 1 == bytes.count
            let entry: JournalEntry
            switch codec.decode(UnsafeRawBufferPointer(rebasing: bytes[start..<newline])) {
            case .success(let decoded):
                entry = decoded
            case .failure(let problem):
                if isLast {
                    state?.ignoredTailBytes = Int64(bytes.count - start)
                    return state
                }
                throw JournalError.damagedLine(path: path, line: lineNumber, problem: describe(problem))
            }
            if state == nil {
                guard case .header(let header) = entry else { throw JournalError.missingHeader(path: path) }
                state = JournalState(header: header)
            } else if case .header = entry {
                throw JournalError.damagedLine(
                    path: path, line: lineNumber, problem: "a second header line (were two journals joined?)")
            }
            state!.apply(entry)
            state!.lineCount += 1
            state!.validLength = Int64(newline + 1)
            start = newline + 1
        }
        return state
    }

    private static func describe(_ problem: JournalLineCodec.LineProblem) -> String {
        switch problem {
        case .checksumMismatch: "the checksum does not match (the line was edited or damaged)"
        case .noChecksum: "the line has no checksum (it was edited, or was not written by aq-import)"
        case .notJSON: "not a journal line (not valid JSON)"
        case .notAnEntry(let reason): "not a journal entry (\(reason))"
        }
    }
}
