import Foundation

/// Reads a page of queue records (`{"records": [...], "pagination": {...}}`, or a 201 body's
/// `{"record_sources": [...]}`) in one pass with the JSON scanner the readers use, taking from each
/// record only what `QueueRecord` keeps, where JSONDecoder would build every record's whole `data`.
/// A listing of 100k records is 200 such pages, read while delivery runs.
///
/// It takes what the decoder takes, the same way. For anything it does not expect (an escaped or
/// repeated top-level key, a key it does not know holding an array, a record that is not an object
/// or repeats a key it reads, a body that is not UTF-8, a source id nested rather than flat under
/// `data`) it returns nil, and the caller decodes the page with `QueueRecord`'s `Decodable` reading
/// instead, which then settles it, error messages included. Unlike the decoder it lets Python's
/// `NaN` and `Infinity` pass in values it does not read, as the readers do.
enum QueueRecordPageScanner {
    /// The scanner's targets: record id, granularity, source type, `data.<key>` per kind, then
    /// `data` and the objects a nested spelling of a key would use (the scanner reads
    /// `{"context": {"span_id": ...}}` as `context.span_id`; the decoder reads only the flat key).
    private static let targets: [[UInt8]] =
        [Array("id".utf8), Array("granularity".utf8), Array("source_type".utf8)]
        + RecordKind.allCases.map { Array("data.\(QueueRecord.dataKey(for: $0))".utf8) }
        + ["data", "data.context", "data.attributes", "data.attributes.session"].map { Array($0.utf8) }
    private static let dataTarget = 3 + RecordKind.allCases.count

    /// The records under `itemsKey` and the next cursor (nil at the end, as `RemotePage` says it),
    /// or nil to decode the page the usual way.
    static func scan(_ body: [UInt8], itemsKey: String) -> (records: [QueueRecord], nextCursor: String?)? {
        body.withUnsafeBytes { bytes in
            // The decoder refuses a body that is not UTF-8 throughout; the scanner checks only what it takes.
            guard String(validating: bytes, as: UTF8.self) != nil else { return nil }
            return scan(bytes, itemsKey: Array(itemsKey.utf8))
        }
    }

    private static func scan(_ b: UnsafeRawBufferPointer, itemsKey: [UInt8]) -> (
        records: [QueueRecord], nextCursor: String?
    )? {
        var recordScanner = JSONLineScanner(targets: targets)
        var skipper = JSONLineScanner(targets: [])
        defer {
            recordScanner.release()
            skipper.release()
        }
        var i = 0
        func skipWhitespace() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        }
        func at(_ ascii: Unicode.Scalar) -> Bool { i < b.count && b[i] == UInt8(ascii: ascii) }
        func rest() -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: b[i...]) }
        /// Steps over an object's bytes; false when they are not one.
        func skipObject() -> Bool {
            guard let length = ((try? skipper.scanObject(rest(), final: true)) ?? nil) else { return false }
            i += length
            return true
        }
        /// Steps over a number, true, false or null (what a top-level key the page does not use may
        /// hold besides an object); false for anything else, a string included (left to the decoder,
        /// which checks its escapes).
        func skipScalar() -> Bool {
            let start = i
            while i < b.count, b[i] != UInt8(ascii: ","), b[i] != UInt8(ascii: "}"), b[i] > 0x20 { i += 1 }
            let token = b[start..<i]
            if token.elementsEqual("true".utf8) || token.elementsEqual("false".utf8)
                || token.elementsEqual("null".utf8)
            {
                return true
            }
            guard let first = token.first, first == UInt8(ascii: "-") || (0x30...0x39).contains(first) else {
                return false
            }
            return token.allSatisfy { (0x30...0x39).contains($0) || "+-.eE".utf8.contains($0) }
                && Double(String(decoding: token, as: UTF8.self)) != nil
        }

        var records: [QueueRecord]?
        var pagination: RemotePage<QueueRecord>.Pagination?
        var sawPagination = false
        skipWhitespace()
        guard at("{") else { return nil }
        i += 1
        skipWhitespace()
        guard !at("}") else { return nil }
        while true {
            guard at("\"") else { return nil }
            let keyStart = i + 1
            i = keyStart
            while i < b.count, b[i] != UInt8(ascii: "\"") {
                if b[i] == UInt8(ascii: "\\") { return nil }
                i += 1
            }
            guard i < b.count else { return nil }
            let key = UnsafeRawBufferPointer(rebasing: b[keyStart..<i])
            i += 1
            skipWhitespace()
            guard at(":") else { return nil }
            i += 1
            skipWhitespace()
            if key.elementsEqual(itemsKey) {
                guard records == nil, at("[") else { return nil }
                i += 1
                skipWhitespace()
                var list: [QueueRecord] = []
                if at("]") {
                    i += 1
                } else {
                    while true {
                        guard at("{"),
                            let length = ((try? recordScanner.scanObject(rest(), final: true)) ?? nil),
                            recordScanner.duplicateTarget < 0,
                            let record = record(from: recordScanner)
                        else { return nil }
                        list.append(record)
                        i += length
                        skipWhitespace()
                        if at(",") {
                            i += 1
                            skipWhitespace()
                            continue
                        }
                        guard at("]") else { return nil }
                        i += 1
                        break
                    }
                }
                records = list
            } else if key.elementsEqual("pagination".utf8) {
                guard !sawPagination else { return nil }
                sawPagination = true
                let start = i
                if at("{") {
                    guard skipObject() else { return nil }
                    // A few bytes: the decoder reads them as RemotePage does.
                    let bytes = Data(UnsafeRawBufferPointer(rebasing: b[start..<i]))
                    guard let read = try? JSONDecoder().decode(RemotePage<QueueRecord>.Pagination.self, from: bytes)
                    else { return nil }
                    pagination = read
                } else {
                    guard b[i...].starts(with: "null".utf8) else { return nil }
                    i += 4
                }
            } else if at("{") {
                guard skipObject() else { return nil }
            } else {
                guard skipScalar() else { return nil }
            }
            skipWhitespace()
            if at(",") {
                i += 1
                skipWhitespace()
                continue
            }
            guard at("}") else { return nil }
            i += 1
            break
        }
        skipWhitespace()
        guard i == b.count, let records else { return nil }
        let next = pagination?.hasMore == false ? nil : pagination?.nextCursor.flatMap { $0.isEmpty ? nil : $0 }
        return (records, next)
    }

    /// The record the scanner has just read, as `QueueRecord.init(from:)` reads it; nil when a value
    /// it reads as text is not a string of valid UTF-8.
    private static func record(from scanner: JSONLineScanner) -> QueueRecord? {
        scanner.arena.withUnsafeBytes { arena -> QueueRecord? in
            var failed = false
            /// The string at target `t` (nil when absent, null or not a string: the decoder's `try?`).
            func text(_ t: Int) -> String? {
                guard case .string = scanner.found[t] else { return nil }
                guard
                    let value = String(
                        validating: UnsafeRawBufferPointer(rebasing: arena[scanner.ranges[t]]), as: UTF8.self)
                else {
                    failed = true
                    return nil
                }
                return value
            }
            let recordID = text(0) ?? ""
            let granularity = text(1)
            let sourceType = text(2)
            var declared: RecordKind?
            if sourceType == "DATASET" {
                declared = .example
            } else if let granularity {
                declared = RecordKind.allCases.first { $0.recordType == granularity }
            }
            func source(_ kind: RecordKind) -> [UInt8]? {
                let t = 3 + RecordKind.allCases.firstIndex(of: kind)!
                guard let value = text(t), !value.isEmpty else { return nil }
                return Array(value.utf8)
            }
            var kind = declared
            var sourceID: [UInt8]?
            if let declared {
                sourceID = source(declared)
            } else {
                for candidate in RecordKind.allCases {
                    if let found = source(candidate) {
                        kind = candidate
                        sourceID = found
                        break
                    }
                }
            }
            if failed { return nil }
            if sourceID != nil {
                // Found under `data`, flat: anything else is for the decoder to judge.
                guard case .unusable("a JSON object") = scanner.found[dataTarget],
                    (dataTarget + 1..<targets.count).allSatisfy({
                        if case .absent = scanner.found[$0] { true } else { false }
                    })
                else { return nil }
            }
            return QueueRecord(recordID: recordID, kind: kind, sourceID: sourceID)
        }
    }
}
