import Foundation

/// One `AnnotationQueueRecord` as a 201 body or a listing of the queue returns it, reduced to what
/// reconciling needs: the record id (to delete it) and the source id its `data` names, with the kind
/// the record says it is. Every key is optional: a record whose `data` names no source id keeps
/// `sourceID` nil, and is counted as naming none.
public struct QueueRecord: Sendable, Hashable, Decodable {
    public var recordID: String
    public var kind: RecordKind?
    /// The source id's UTF-8 bytes, exactly as the server wrote them.
    public var sourceID: [UInt8]?

    public init(recordID: String, kind: RecordKind?, sourceID: [UInt8]?) {
        self.recordID = recordID
        self.kind = kind
        self.sourceID = sourceID
    }

    /// The key under which a record's `data` carries the source id of each kind.
    public static func dataKey(for kind: RecordKind) -> String {
        switch kind {
        case .span: "context.span_id"
        case .trace: "context.trace_id"
        case .session: "attributes.session.id"
        case .example: "id"
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        recordID = ((try? container.decodeIfPresent(String.self, forKey: AnyKey(stringValue: "id"))) ?? nil) ?? ""
        let granularity = try? container.decodeIfPresent(String.self, forKey: AnyKey(stringValue: "granularity"))
        let sourceType = try? container.decodeIfPresent(String.self, forKey: AnyKey(stringValue: "source_type"))
        var declared: RecordKind?
        if sourceType == "DATASET" {
            declared = .example
        } else if let granularity {
            declared = RecordKind.allCases.first { $0.recordType == granularity }
        }
        guard let data = try? container.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey(stringValue: "data"))
        else {
            kind = declared
            return
        }
        func value(_ kind: RecordKind) -> [UInt8]? {
            let key = AnyKey(stringValue: Self.dataKey(for: kind))
            guard let text = (try? data.decodeIfPresent(String.self, forKey: key)) ?? nil, !text.isEmpty else {
                return nil
            }
            return Array(text.utf8)
        }
        if let declared {
            kind = declared
            sourceID = value(declared)
            return
        }
        // No kind given: the first export column that is there says it (a span's data names its trace too).
        for candidate in RecordKind.allCases {
            if let found = value(candidate) {
                kind = candidate
                sourceID = found
                return
            }
        }
    }

    /// The created records of a 200/201 body (`record_sources`, one entry per created record), or nil
    /// when the body cannot be read as one.
    public static func created(inBody body: [UInt8]) -> [QueueRecord]? {
        struct Created: Decodable {
            var record_sources: [QueueRecord]
        }
        guard !body.isEmpty else { return nil }
        if let scanned = QueueRecordPageScanner.scan(body, itemsKey: "record_sources") { return scanned.records }
        return (try? JSONDecoder().decode(Created.self, from: Data(body)))?.record_sources
    }
}
