/// Queue records kept compactly, in the order they were added: what a `QueueTailFollower` saw of a
/// listing, held until delivery ends. One byte array holds, record after record, the kind, the source
/// id (a 16-hex one as its 8 bytes) and the record id front-coded against the one before it: the
/// records of a listing mostly share a long prefix (the double's are base64 of
/// `AnnotationQueueRecord:<n>`), so a record costs about 20 bytes where a `[QueueRecord]` cost about
/// 190. Read back in order as `QueueRecord`s.
public struct QueueRecordList: Sendable, Sequence {
    private var bytes: [UInt8] = []
    private var previousRecordID: [UInt8] = []
    public private(set) var count = 0
    /// The bytes the records take.
    public var byteCount: Int { bytes.count }

    /// Source tags: no source id, a 16-hex one kept as 8 bytes, or (`bytesTag` + n) n bytes as they came.
    private static let noSourceTag: UInt64 = 0
    private static let hexTag: UInt64 = 1
    private static let bytesTag: UInt64 = 2
    private static let noKind: UInt8 = 0xFF

    public init() {}

    public init(_ records: some Sequence<QueueRecord>) {
        append(contentsOf: records)
    }

    /// Room for about `records` records.
    public mutating func reserveCapacity(_ records: Int) {
        bytes.reserveCapacity(records * 20)
    }

    public mutating func append(_ record: QueueRecord) {
        bytes.append(record.kind.flatMap { RecordKind.allCases.firstIndex(of: $0) }.map { UInt8($0) } ?? Self.noKind)
        if let source = record.sourceID {
            if source.count == 16, case .hex64(let value) = source.withUnsafeBytes({ RecordID(utf8: $0) }) {
                appendVarint(Self.hexTag)
                withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
            } else {
                appendVarint(Self.bytesTag + UInt64(source.count))
                bytes.append(contentsOf: source)
            }
        } else {
            appendVarint(Self.noSourceTag)
        }
        let recordID = Array(record.recordID.utf8)
        var shared = 0
        let limit = Swift.min(recordID.count, previousRecordID.count)
        while shared < limit && recordID[shared] == previousRecordID[shared] { shared += 1 }
        appendVarint(UInt64(shared))
        appendVarint(UInt64(recordID.count - shared))
        bytes.append(contentsOf: recordID[shared...])
        previousRecordID = recordID
        count += 1
    }

    public mutating func append(contentsOf records: some Sequence<QueueRecord>) {
        for record in records { append(record) }
    }

    /// Seven bits a byte, low first; the high bit says another byte follows.
    private mutating func appendVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    public struct Iterator: IteratorProtocol {
        let bytes: [UInt8]
        var at = 0
        /// The record id read last: the next one shares a prefix of it.
        var recordID: [UInt8] = []

        public mutating func next() -> QueueRecord? {
            guard at < bytes.count else { return nil }
            let kindByte = bytes[at]
            at += 1
            let kind = kindByte == QueueRecordList.noKind ? nil : RecordKind.allCases[Int(kindByte)]
            var sourceID: [UInt8]?
            let tag = varint()
            if tag == QueueRecordList.hexTag {
                let value = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * $1) }
                at += 8
                sourceID = Array(RecordID.hex64(value).text.utf8)
            } else if tag >= QueueRecordList.bytesTag {
                let length = Int(tag - QueueRecordList.bytesTag)
                sourceID = Array(bytes[at..<(at + length)])
                at += length
            }
            let shared = Int(varint())
            let rest = Int(varint())
            recordID.removeSubrange(shared...)
            recordID.append(contentsOf: bytes[at..<(at + rest)])
            at += rest
            return QueueRecord(recordID: String(decoding: recordID, as: UTF8.self), kind: kind, sourceID: sourceID)
        }

        private mutating func varint() -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let byte = bytes[at]
                at += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }
    }

    public func makeIterator() -> Iterator { Iterator(bytes: bytes) }
}
