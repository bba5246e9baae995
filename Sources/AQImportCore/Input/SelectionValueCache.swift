/// Makes a row's values for the selection stage (`RecordBuilder.selectionText` of each cell) and hands
/// out the same array again for a row whose cells hold the same bytes as a recent one: the columns a
/// selection names (a status, a kind, an eval label) mostly hold a few values, and a shared array
/// costs a row neither an allocation nor the checking of its text. Rows of unique values (a trace id
/// with `--one-per`) soon turn the look-up off. One reader's thread alone uses it.
final class SelectionValueCache {
    static let limit = 16
    /// Rows judged before the hit rate decides whether looking up goes on.
    static let trialRows = 4096
    /// Rows whose encoded cells are longer are neither kept nor looked up: sixteen kept rows stay
    /// within 64 KiB however long a cell is.
    static let maxKeptBytes = 4096

    /// Each recent row's cells, encoded (`append`), and the values made for them, newest last.
    @exclusivity(unchecked) private var recent: [(key: [UInt8], values: [String?])] = []
    @exclusivity(unchecked) private var key: [UInt8] = []
    @exclusivity(unchecked) private var lookups = 0
    @exclusivity(unchecked) private var hits = 0
    @exclusivity(unchecked) private var looksUp = true

    init() {
        key.reserveCapacity(256)
    }

    /// Whether rows are still looked up among the recent ones.
    var isLookingUp: Bool { looksUp }

    /// The bytes the kept rows hold.
    var keptBytes: Int { recent.reduce(0) { $0 + $1.key.count } }

    /// The values of `count` cells, `cell(i)` giving the i-th; each cell's bytes are used before the
    /// next is asked for.
    @inline(__always)
    func values(count: Int, _ cell: (Int) throws -> FieldValue) rethrows -> [String?] {
        key.removeAll(keepingCapacity: key.capacity <= Self.maxKeptBytes)
        for i in 0..<count { Self.append(try cell(i), to: &key) }
        guard looksUp, key.count <= Self.maxKeptBytes else { return Self.decode(key, count: count) }
        lookups += 1
        defer {
            if lookups == Self.trialRows {
                looksUp = hits * 2 >= lookups
                if !looksUp { recent = [] }
            }
        }
        let found = key.withUnsafeBytes { bytes in recent.lastIndex { RecordBuilder.same(bytes, $0.key) } }
        if let found {
            hits += 1
            return recent[found].values
        }
        let values = Self.decode(key, count: count)
        if recent.count == Self.limit { recent.removeFirst() }
        recent.append((key, values))
        return values
    }

    // A cell is a tag (0 none, 1 text, 2 instant) then, for text, a 4-byte length and its trimmed
    // bytes, for an instant its 8 bytes.
    private static func append(_ value: FieldValue, to key: inout [UInt8]) {
        switch value {
        case .text(let bytes), .number(let bytes):
            let text = RecordBuilder.trimmed(bytes)
            guard !text.isEmpty else {
                key.append(0)
                return
            }
            key.append(1)
            withUnsafeBytes(of: UInt32(text.count).littleEndian) { key.append(contentsOf: $0) }
            key.append(contentsOf: text)
        case .instant(let nanos):
            key.append(2)
            withUnsafeBytes(of: nanos.littleEndian) { key.append(contentsOf: $0) }
        case .absent, .null, .unusable:
            key.append(0)
        }
    }

    private static func decode(_ key: [UInt8], count: Int) -> [String?] {
        var values: [String?] = []
        values.reserveCapacity(count)
        key.withUnsafeBytes { bytes in
            var at = 0
            for _ in 0..<count {
                let tag = bytes[at]
                at += 1
                switch tag {
                case 1:
                    let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
                    at += 4
                    values.append(
                        RecordBuilder.selectionText(.text(UnsafeRawBufferPointer(rebasing: bytes[at..<at + length]))))
                    at += length
                case 2:
                    let nanos = Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: Int64.self))
                    at += 8
                    values.append(RecordBuilder.selectionText(.instant(nanos)))
                default:
                    values.append(nil)
                }
            }
        }
        return values
    }
}
