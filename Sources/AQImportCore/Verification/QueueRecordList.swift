/// Queue records kept compactly, in the order they were added: what a `QueueTailFollower` saw of a
/// listing, held until delivery ends. The record ids are packed (`PackedStrings`) and the source ids
/// sit back to back in one byte array (a 16-hex one as its 8 bytes), beside a 16-byte place per
/// record, where a `[QueueRecord]` cost about 190 bytes a record (a String and an array, each its own
/// allocation). Read back as `QueueRecord`s.
public struct QueueRecordList: Sendable, Sequence {
    private struct Place: Sendable {
        /// Where the source id starts in `sourceIDs`.
        var sourceStart: Int
        /// -1 when the record names no source id, -2 for a 16-hex one kept as 8 bytes.
        var sourceIDCount: Int32
        /// `RecordKind.allCases` index, or -1 when the record says no kind.
        var kind: Int8
    }

    private var recordIDs = PackedStrings()
    private var sourceIDs: [UInt8] = []
    private var places: [Place] = []

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
        var hex: UInt64?
        if let source, source.count == 16, case .hex64(let value) = source.withUnsafeBytes({ RecordID(utf8: $0) }) {
            hex = value
        }
        let kind = record.kind.flatMap { RecordKind.allCases.firstIndex(of: $0) }.map { Int8($0) } ?? -1
        places.append(
            Place(
                sourceStart: sourceIDs.count, sourceIDCount: hex != nil ? -2 : source.map { Int32($0.count) } ?? -1,
                kind: kind))
        recordIDs.append(record.recordID)
        if let hex {
            withUnsafeBytes(of: hex.littleEndian) { sourceIDs.append(contentsOf: $0) }
        } else if let source {
            sourceIDs.append(contentsOf: source)
        }
    }

    public mutating func append(contentsOf records: some Sequence<QueueRecord>) {
        for record in records { append(record) }
    }

    public subscript(position: Int) -> QueueRecord {
        let place = places[position]
        let start = place.sourceStart
        var sourceID: [UInt8]?
        if place.sourceIDCount == -2 {
            let value = (0..<8).reduce(UInt64(0)) { $0 | UInt64(sourceIDs[start + $1]) << (8 * $1) }
            sourceID = Array(RecordID.hex64(value).text.utf8)
        } else if place.sourceIDCount >= 0 {
            sourceID = Array(sourceIDs[start..<(start + Int(place.sourceIDCount))])
        }
        return QueueRecord(
            recordID: recordIDs[position], kind: place.kind < 0 ? nil : RecordKind.allCases[Int(place.kind)],
            sourceID: sourceID)
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
