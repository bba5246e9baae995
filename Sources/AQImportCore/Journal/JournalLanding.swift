import Foundation

/// What a settled request put in the queue, journaled just before its `done` or `rejected` line: the
/// request's sources (kind, scope, window, ids, so that `verify` and `undo` need nothing but the
/// journal) and the records its 201 answers created, each tied to the id its `data` names.
///
/// Kept compact, since it is written for every id: the ids of a source whose ids are all 16-hex go
/// in one string of 16 characters each; a created record is an index into the request's ids and a
/// record id front-coded against the one before it. A 16-hex span id with its record id costs
/// about 40 bytes of journal.
public struct JournalLanding: Sendable, Hashable {
    public var sources: [RecordSource]
    /// For each created record: the position of the id it names in the request's ids (sources in
    /// order, ids in order), or -1 when its `data` names none of them.
    public var createdIndices: [Int32]
    /// The created records' ids, in the same order as `createdIndices`.
    public var recordIDs: PackedStrings

    public init(sources: [RecordSource], createdIndices: [Int32], recordIDs: some Sequence<String>) {
        self.sources = sources
        self.createdIndices = createdIndices
        self.recordIDs = PackedStrings(recordIDs)
    }

    /// Ties each created record to the id of `request` that its `data` names (same kind, same bytes).
    public init(request: PlannedRequest, created: [QueueRecord]) {
        // An id may stand in two sources of one request (one session id in two projects): each of its
        // records takes the next of its places, since `data` does not name the project.
        var positions: [IDKey: [Int32]] = [:]
        var position: Int32 = 0
        for source in request.sources {
            for id in source.ids {
                positions[IDKey(kind: source.kind, id: id), default: []].append(position)
                position += 1
            }
        }
        var used: [IDKey: Int] = [:]
        self.init(
            sources: request.sources,
            createdIndices: created.map { record in
                guard let kind = record.kind, let bytes = record.sourceID else { return -1 }
                let key = IDKey(kind: kind, bytes: bytes)
                guard let places = positions[key] else { return -1 }
                let next = used[key, default: 0]
                used[key] = next + 1
                return places[min(next, places.count - 1)]
            },
            recordIDs: created.map(\.recordID))
    }

    /// The request's ids in order, with their kind and scope.
    public var ids: [(kind: RecordKind, scope: Scope, window: TimeWindow?, id: RecordID)] {
        sources.flatMap { source in source.ids.map { (source.kind, source.scope, source.window, $0) } }
    }
}

/// An id as its kind and UTF-8 bytes, for sets and dictionaries: ids are opaque bytes, and Swift's
/// String equality (canonical equivalence) would merge `café` in NFC with `café` in NFD.
public struct IDKey: Hashable, Sendable {
    public var kind: RecordKind
    private var hex: UInt64
    private var bytes: [UInt8]?

    public init(kind: RecordKind, id: RecordID) {
        switch id {
        case .hex64(let value): self.init(kind: kind, hex: value, bytes: nil)
        case .text(let text): self.init(kind: kind, bytes: Array(text.utf8))
        }
    }

    private init(kind: RecordKind, hex: UInt64, bytes: [UInt8]?) {
        self.kind = kind
        self.hex = hex
        self.bytes = bytes
    }

    public init(kind: RecordKind, bytes: [UInt8]) {
        if case .hex64(let value) = RecordID(utf8Bytes: bytes) {
            self.init(kind: kind, hex: value, bytes: nil)
        } else {
            self.init(kind: kind, hex: 0, bytes: bytes)
        }
    }

    /// Whether `IDKey(kind: kind, id: id)` equals this key, without making it.
    func matches(kind: RecordKind, id: RecordID) -> Bool {
        guard kind == self.kind else { return false }
        switch id {
        case .hex64(let value): return bytes == nil && hex == value
        case .text(let text): return bytes.map { text.utf8.elementsEqual($0) } ?? false
        }
    }
}

extension RecordID {
    init(utf8Bytes bytes: [UInt8]) {
        self = bytes.withUnsafeBytes { RecordID(utf8: $0) }
    }

    var isHex: Bool {
        if case .hex64 = self { return true }
        return false
    }
}

extension JournalLanding: Codable {
    private enum CodingKeys: String, CodingKey {
        case sources = "s"
        case createdIndices = "x"
        case recordIDs = "r"
    }

    private struct Source: Codable {
        var k: RecordKind
        var p: String?
        var d: String?
        var v: String?
        /// Window bounds in nanoseconds since 1970.
        var w: [Int64]?
        /// All ids 16-hex: concatenated.
        var h: String?
        var t: [String]?
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let encoded = sources.map { source -> Source in
            var out = Source(k: source.kind)
            switch source.scope {
            case .project(let id): out.p = id
            case .dataset(let id, let version):
                out.d = id
                out.v = version
            }
            if let window = source.window {
                out.w = [window.start.nanosecondsSinceEpoch, window.end.nanosecondsSinceEpoch]
            }
            if source.ids.allSatisfy(\.isHex) {
                var text = ""
                text.reserveCapacity(source.ids.count * 16)
                for id in source.ids { text += id.text }
                out.h = text
            } else {
                out.t = source.ids.map(\.text)
            }
            return out
        }
        try container.encode(encoded, forKey: .sources)
        try container.encode(createdIndices, forKey: .createdIndices)
        try container.encode(FrontCoding.encode(Array(recordIDs)), forKey: .recordIDs)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let encoded = try container.decode([Source].self, forKey: .sources)
        sources = try encoded.map { source in
            let scope: Scope
            if let project = source.p {
                scope = .project(id: project)
            } else if let dataset = source.d {
                scope = .dataset(id: dataset, versionID: source.v)
            } else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: container.codingPath, debugDescription: "a source without a scope"))
            }
            var window: TimeWindow?
            if let w = source.w, w.count == 2 {
                window = TimeWindow(
                    start: Timestamp(nanosecondsSinceEpoch: w[0]), end: Timestamp(nanosecondsSinceEpoch: w[1]))
            }
            var ids: [RecordID] = []
            if let hex = source.h {
                let bytes = Array(hex.utf8)
                guard bytes.count % 16 == 0 else {
                    throw DecodingError.dataCorrupted(
                        .init(codingPath: container.codingPath, debugDescription: "hex ids not 16 characters each"))
                }
                ids.reserveCapacity(bytes.count / 16)
                var start = 0
                while start < bytes.count {
                    ids.append(RecordID(utf8Bytes: Array(bytes[start..<(start + 16)])))
                    start += 16
                }
            } else {
                ids = (source.t ?? []).map { RecordID.text($0) }
            }
            return RecordSource(kind: source.k, scope: scope, window: window, ids: ids)
        }
        createdIndices = try container.decode([Int32].self, forKey: .createdIndices)
        recordIDs = PackedStrings(try FrontCoding.decode(try container.decode([String].self, forKey: .recordIDs)))
        guard createdIndices.count == recordIDs.count else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: container.codingPath,
                    debugDescription: "created indices and record ids differ in number"))
        }
    }
}

/// Record ids written as the length of the prefix shared with the previous one, `|`, and the rest:
/// sequential ids (`QW5ub3RhdGlvblF1ZXVlUmVjb3JkOjEyMw==`, ...) shrink to a few characters each.
enum FrontCoding {
    static func encode(_ values: [String]) -> [String] {
        var previous: [UInt8] = []
        return values.map { value in
            let bytes = Array(value.utf8)
            var shared = 0
            let limit = min(bytes.count, previous.count)
            while shared < limit && bytes[shared] == previous[shared] { shared += 1 }
            // Never split a UTF-8 sequence: back off to a scalar boundary.
            while shared > 0 && shared < bytes.count && bytes[shared] & 0xC0 == 0x80 { shared -= 1 }
            previous = bytes
            return "\(shared)|" + String(decoding: bytes[shared...], as: UTF8.self)
        }
    }

    static func decode(_ values: [String]) throws -> [String] {
        var previous: [UInt8] = []
        return try values.map { value in
            let bytes = Array(value.utf8)
            guard let bar = bytes.firstIndex(of: UInt8(ascii: "|")),
                let shared = Int(String(decoding: bytes[..<bar], as: UTF8.self)), shared <= previous.count
            else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: [], debugDescription: "not a front-coded record id"))
            }
            let full = Array(previous[..<shared]) + bytes[(bar + 1)...]
            previous = full
            return String(decoding: full, as: UTF8.self)
        }
    }
}
