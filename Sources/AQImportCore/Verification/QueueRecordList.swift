/// Queue records kept compactly, in the order they were added: what a `QueueTailFollower` saw of a
/// listing, held until delivery ends. Each record's id and source id bytes sit back to back in one
/// byte array (a 16-hex source id as its 8 bytes), beside a 16-byte place per record, where a
/// `[QueueRecord]` cost about 190 bytes a record (a String and an array, each its own allocation).
/// Read back as `QueueRecord`s.
public struct QueueRecordList: Sendable, Sequence {
    private struct Place: Sendable {
        /// Where the record id starts in `bytes`; its source id follows it.
        var start: Int
        var recordIDCount: UInt32
        /// -1 when the record names no source id, -2 for a 16-hex one kept as 8 bytes.
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

    public mutating func reserveCapacity(_ records: Int) {
        places.reserveCapacity(records)
    }

    public mutating func append(_ record: QueueRecord) {
        let source = record.sourceID
        guard record.recordID.utf8.count <= UInt32.max, (source?.count ?? 0) <= Int16.max else {
            long[places.count] = record
            places.append(Place(start: bytes.count, recordIDCount: 0, sourceIDCount: -1, kind: -1))
            return
        }
        let kind = record.kind.flatMap { RecordKind.allCases.firstIndex(of: $0) }.map { Int8($0) } ?? -1
        var hex: UInt64?
        if let source, source.count == 16, case .hex64(let value) = source.withUnsafeBytes({ RecordID(utf8: $0) }) {
            hex = value
        }
        places.append(
            Place(
                start: bytes.count, recordIDCount: UInt32(record.recordID.utf8.count),
                sourceIDCount: hex != nil ? -2 : source.map { Int16($0.count) } ?? -1, kind: kind))
        bytes.append(contentsOf: record.recordID.utf8)
        if let hex {
            withUnsafeBytes(of: hex.littleEndian) { bytes.append(contentsOf: $0) }
        } else if let source {
            bytes.append(contentsOf: source)
        }
    }

    public mutating func append(contentsOf records: some Sequence<QueueRecord>) {
        for record in records { append(record) }
    }

    public subscript(position: Int) -> QueueRecord {
        if !long.isEmpty, let record = long[position] { return record }
        let place = places[position]
        let idEnd = place.start + Int(place.recordIDCount)
        var sourceID: [UInt8]?
        if place.sourceIDCount == -2 {
            let value = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[idEnd + $1]) << (8 * $1) }
            sourceID = Array(RecordID.hex64(value).text.utf8)
        } else if place.sourceIDCount >= 0 {
            sourceID = Array(bytes[idEnd..<(idEnd + Int(place.sourceIDCount))])
        }
        return QueueRecord(
            recordID: String(decoding: bytes[place.start..<idEnd], as: UTF8.self),
            kind: place.kind < 0 ? nil : RecordKind.allCases[Int(place.kind)], sourceID: sourceID)
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
