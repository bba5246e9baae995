import Crypto

/// One add-records request exactly as it will be sent: its sources, its body bytes and a stable id (a
/// content hash of the body), which the journal keys its entries by.
public struct PlannedRequest: Sendable, Hashable {
    public let sources: [RecordSource]
    public let id: RequestID

    public init(sources: [RecordSource]) {
        self.sources = sources
        self.id = RequestID(body: RequestBody.encode(sources))
    }

    /// The JSON body, byte for byte what is sent. Encoded on demand so that a plan of millions of ids
    /// does not hold its bodies twice.
    public var body: [UInt8] { RequestBody.encode(sources) }

    public var recordCount: Int { sources.reduce(0) { $0 + $1.ids.count } }

    public var sessionCount: Int {
        sources.reduce(0) { $0 + ($1.kind == .session ? $1.ids.count : 0) }
    }
}

/// A request's content hash: the first 128 bits of the SHA-256 of its body, as 32 hex characters.
public struct RequestID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let hex: String

    public init(body: [UInt8]) {
        hex = Hex.encode(SHA256.hash(data: body).prefix(16))
    }

    public init?(hex: String) {
        guard hex.utf8.count == 32, hex.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) })
        else { return nil }
        self.hex = hex
    }

    public var description: String { hex }

    public static func < (lhs: RequestID, rhs: RequestID) -> Bool { lhs.hex < rhs.hex }
}
