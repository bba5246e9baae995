/// Queue records kept compactly, in the order they were added: what a `QueueTailFollower` saw of a
/// listing, held until delivery ends. Each record's id and source id bytes sit back to back in one
/// byte array, beside a 16-byte place per record, where a `[QueueRecord]` cost about 190 bytes a
/// record (a String and an array, each its own allocation). Read back as `QueueRecord`s.
public struct QueueRecordList: Sendable, Sequence {
    private struct Place: Sendable {
        /// Where the record id starts in `bytes`; its source id follows it.
        var start: Int
        var recordIDCount: UInt32
        /// -1 when the record names no source id.
        var sourceIDCount: Int16
        /// `RecordKind.allCases` index, or -1 when the record says no kind.
        var kind: Int8
    }

    private var bytes: [UInt8] = []
    private var places: [Place] = []
    /// Records whose record id or source id is too long for a `Place` (never from a real service).
    private var long: [Int: QueueRecord] = [:]

    public init() {}

    public init(_ records: some Sequence<QueueRecord>) {
        append(contentsOf: records)
    }

    public var count: Int { places.count }

    public mutating func append(_ record: QueueRecord) {
        let source = record.sourceID
        guard record.recordID.utf8.count <= UInt32.max, (source?.count ?? 0) <= Int16.max else {
            long[places.count] = record
            places.append(Place(start: bytes.count, recordIDCount: 0, sourceIDCount: -1, kind: -1))
            return
        }
        let kind = record.kind.flatMap { RecordKind.allCases.firstIndex(of: $0) }.map { Int8($0) } ?? -1
        places.append(
            Place(
                start: bytes.count, recordIDCount: UInt32(record.recordID.utf8.count),
                sourceIDCount: source.map { Int16($0.count) } ?? -1, kind: kind))
        bytes.append(contentsOf: record.recordID.utf8)
        if let source { bytes.append(contentsOf: source) }
    }

    public mutating func append(contentsOf records: some Sequence<QueueRecord>) {
        for record in records { append(record) }
    }

    public subscript(position: Int) -> QueueRecord {
        if !long.isEmpty, let record = long[position] { return record }
        let place = places[position]
        let idEnd = place.start + Int(place.recordIDCount)
        return QueueRecord(
            recordID: String(decoding: bytes[place.start..<idEnd], as: UTF8.self),
            kind: place.kind < 0 ? nil : RecordKind.allCases[Int(place.kind)],
            sourceID: place.sourceIDCount < 0 ? nil : Array(bytes[idEnd..<(idEnd + Int(place.sourceIDCount))]))
    }

    public struct Iterator: IteratorProtocol {
        let list: QueueRecordList
        var position = 0

        public mutating func next() -> QueueRecord? {
            guard position < list.count else { return nil }
            defer { position += 1 }
            return list[position]
        }
    }

    public func makeIterator() -> Iterator { Iterator(list: self) }
}
