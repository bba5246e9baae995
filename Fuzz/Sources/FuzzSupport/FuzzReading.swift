import AQImportCore

/// What one reading of a fuzz input gave: enough to compare two readings of the same bytes.
public struct FuzzReading: Equatable {
    public var columns: [String]?
    public var events: [ReadEvent] = []
    public var error: String?

    /// Reads `bytes` through the public in-memory entry point, handed over `chunkSize` bytes at a time.
    public static func read(_ bytes: [UInt8], format: InputFormat, chunkSize: Int) -> FuzzReading {
        var result = FuzzReading()
        do {
            var reader = try ExportReader(
                bytes: bytes, name: "fuzz", format: format, options: ReadOptions(projectID: "fuzz-project"),
                chunkSize: chunkSize)
            result.columns = reader.columns
            _ = try reader.read { event in
                if case .record(let record) = event, record.id.isEmpty {
                    fatalError("a record with an empty id at line \(record.origin.line)")
                }
                result.events.append(event)
            }
        } catch let error as InputError {
            if error.line.map({ $0 < 1 }) ?? false { fatalError("an error at line \(error.line!): \(error)") }
            result.error = error.errorDescription
        } catch {
            result.error = "\(type(of: error)): \(error)"
        }
        return result
    }

    /// Traps when two readings of the same bytes disagree. When both fail, the errors are not
    /// compared: how much was read before a failure, and which of two problems is met first, depend
    /// on where the chunks end (a header without an id column followed by a stray quote in the same
    /// chunk; a corrupt gzip stream whose garbage is parsed before the corruption is found). One
    /// reading failing and the other not is a finding.
    public static func check(_ whole: FuzzReading, _ chunked: FuzzReading, chunkSize: Int) {
        if whole.error != nil, chunked.error != nil { return }
        if whole == chunked { return }
        fatalError(
            """
            reading in chunks of \(chunkSize) disagrees with reading whole:
            columns \(String(describing: whole.columns)) vs \(String(describing: chunked.columns))
            events \(whole.events.count) vs \(chunked.events.count), first difference \
            \(String(describing: zip(whole.events, chunked.events).first { $0 != $1 }))
            error \(whole.error ?? "none") vs \(chunked.error ?? "none")
            """)
    }
}
