import Foundation

/// Reads what the `--exclude-queue` queues hold: each queue's records through the queue-records
/// listing (`GET /v2/annotation-queues/{id}/records`, 500 a page, retried and rate-limited by the
/// `RemoteReader`), keeping every source id a record's `data` names, of every kind: a span record
/// names its trace and session too, so a queue filled one span per trace holds those traces.
///
/// A real import snapshots the result beside its journal (`<journal>.excluded`), and a resume reads
/// the snapshot instead of the queues: the target queue fills as the import delivers, and listing it
/// again would exclude this import's own units and plan another sample.
public enum ExclusionLoader {
    private struct Record: Decodable, Sendable {
        var ids: [(RecordKind, String)] = []

        private struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            let sourceType = try? container.decodeIfPresent(String.self, forKey: Key(stringValue: "source_type"))
            guard let data = try? container.nestedContainer(keyedBy: Key.self, forKey: Key(stringValue: "data"))
            else { return }
            let kinds: [RecordKind] = sourceType == "DATASET" ? [.example] : [.span, .trace, .session]
            for kind in kinds {
                let key = Key(stringValue: QueueRecord.dataKey(for: kind))
                if let text = (try? data.decodeIfPresent(String.self, forKey: key)) ?? nil, !text.isEmpty {
                    ids.append((kind, text))
                }
            }
        }
    }

    /// The snapshot's path for a journal.
    public static func snapshotPath(journal: String) -> String { journal + ".excluded" }

    /// What the queues hold: from `snapshot` when `reuseSnapshot` and it exists (a resume), else listed
    /// (each queue given by id, or by name with `space`) and written to `snapshot` when given.
    public static func load(
        queues: [String], space: String?, resolver: QueueResolver, reader: RemoteReader, snapshot: String?,
        reuseSnapshot: Bool
    ) async throws -> (set: ExclusionSet, fromSnapshot: Bool) {
        if reuseSnapshot, let snapshot, let saved = readSnapshot(at: snapshot) { return (saved, true) }
        var ids: [String] = []
        for queue in queues { ids.append(try await resolver.resolve(queue: queue, space: space).id) }
        let set = try await list(queueIDs: ids, reader: reader)
        if let snapshot {
            do {
                try FileManager.default.createDirectory(
                    atPath: (snapshot as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700])
                try writeSnapshot(set, to: snapshot)
            } catch {
                throw SelectionError.options("--exclude-queue: cannot write \(snapshot): \(error)")
            }
        }
        return (set, false)
    }

    /// Lists every queue (ids, already resolved) into one set.
    public static func list(queueIDs: [String], reader: RemoteReader) async throws(RemoteError) -> ExclusionSet {
        var set = ExclusionSet()
        for queueID in queueIDs {
            try await reader.forEachPage(
                RemoteRead.get(APIPath.records(queueID: queueID)), itemsKey: "records", limit: QueueListing.pageSize
            ) { (records: [Record]) -> Bool in
                for record in records { for (kind, id) in record.ids { set.insert(kind: kind, id: id) } }
                return true
            }
        }
        return set
    }

    /// Writes the set as `kind<TAB>id` lines (ids never hold control characters), mode 0600.
    public static func writeSnapshot(_ set: ExclusionSet, to path: String) throws(FileWriterError) {
        let writer = try FileWriter(path: path)
        do {
            for (kind, id) in set.entries { try writer.write("\(kind.rawValue)\t\(id)\n") }
            try writer.close()
        } catch {
            writer.discard()
            throw error
        }
    }

    /// The snapshot written by `writeSnapshot`, or nil when there is none or it cannot be read.
    public static func readSnapshot(at path: String) -> ExclusionSet? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var set = ExclusionSet()
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2, let kind = RecordKind(rawValue: String(parts[0])) else { return nil }
            set.insert(kind: kind, id: String(parts[1]))
        }
        return set
    }
}
