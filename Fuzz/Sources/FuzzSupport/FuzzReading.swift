import AQImportCore

/// What one reading of a fuzz input gave: enough to compare two readings of the same bytes.
public struct FuzzReading: Equatable {
    public var columns: [String]?
    public var events: [ReadEvent] = []
    public var error: String?

    /// A record as the planner takes it, whether it came alone or as an entry of a run.
    public struct Record: Hashable {
        var kind: RecordKind
        var scope: Scope
        var id: RecordID
        var timestamp: Timestamp?
    }

    /// Reads `bytes` through the public in-memory entry point, handed over `chunkSize` bytes at a time,
    /// with the planner's record runs (`ReadOptions.recordRuns`) when `runs`.
    public static func read(_ bytes: [UInt8], format: InputFormat, chunkSize: Int, runs: Bool = false)
        -> FuzzReading
    {
        var result = FuzzReading()
        do {
            var options = ReadOptions(projectID: "fuzz-project")
            options.recordRuns = runs
            var reader = try ExportReader(
                bytes: bytes, name: "fuzz", format: format, options: options, chunkSize: chunkSize)
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

    /// Every record, a run's entries as the records they stand for, counted (runs gather a few
    /// projects' records apart, so the order is not theirs), and the rejections in order.
    public var content: (records: [Record: Int], rejections: [Rejection]) {
        var records: [Record: Int] = [:]
        var rejections: [Rejection] = []
        for event in events {
            switch event {
            case .record(let r):
                records[Record(kind: r.kind, scope: r.scope, id: r.id, timestamp: r.timestamp), default: 0] += 1
            case .records(let run):
                for entry in run.entries {
                    let record = Record(
                        kind: run.kind, scope: run.scope, id: .hex64(entry.id), timestamp: entry.timestamp)
                    records[record, default: 0] += 1
                }
            case .rejected(let r):
                rejections.append(r)
            }
        }
        return (records, rejections)
    }

    /// Traps when a reading with record runs does not hold what the reading without them holds: the
    /// same records and rejections, or a failure in both.
    public static func checkRuns(_ single: FuzzReading, _ runs: FuzzReading, chunkSize: Int) {
        if single.error != nil, runs.error != nil { return }
        let a = single.content
        let b = runs.content
        if single.error == nil, runs.error == nil, single.columns == runs.columns, a.records == b.records,
            a.rejections == b.rejections
        {
            return
        }
        fatalError(
            """
            reading with record runs (chunks of \(chunkSize)) disagrees with reading record by record:
            records \(a.records.count) vs \(b.records.count), rejections \(a.rejections.count) vs \(b.rejections.count)
            error \(single.error ?? "none") vs \(runs.error ?? "none")
            """)
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
