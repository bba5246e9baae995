import CZlib
import Foundation

/// Turns entries into checksummed lines and back. Not thread-safe (it owns a JSON encoder and decoder);
/// each journal and each replay has its own.
struct JournalLineCodec {
    /// `{"c":"` + 8 hex digits + `",`
    static let prefixLength = 16
    private static let prefix = Array(#"{"c":""#.utf8)

    private let encoder: JSONEncoder
    private let decoder: JSONDecoder

    init() {
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .secondsSince1970
        decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
    }

    /// The entry as one line, newline included.
    func encode(_ entry: JournalEntry) throws -> [UInt8] {
        let payload = Array(try encoder.encode(entry))
        // The payload is a non-empty object: `{"type":…}`.
        precondition(payload.count > 2 && payload.first == UInt8(ascii: "{"))
        var line = Self.prefix
        line.reserveCapacity(payload.count + Self.prefixLength + 1)
        line.append(contentsOf: Self.hex8(Self.crc(payload[...])))
        line.append(contentsOf: Array(#"","#.utf8))
        line.append(contentsOf: payload.dropFirst())
        line.append(UInt8(ascii: "\n"))
        return line
    }

    enum LineProblem: Error, Equatable {
        case notJSON
        case noChecksum
        case checksumMismatch
        case notAnEntry(String)
    }

    /// Decodes one line (without its newline), verifying its checksum.
    func decode(_ line: ArraySlice<UInt8>) -> Result<JournalEntry, LineProblem> {
        line.withUnsafeBytes { decode($0) }
    }

    /// Replay's hot path: raw bytes, no copies for `sent` and `done` lines.
    func decode(_ line: UnsafeRawBufferPointer) -> Result<JournalEntry, LineProblem> {
        guard let body = Self.verifiedBody(line) else {
            let isJSON = (try? JSONSerialization.jsonObject(with: Data(line))) != nil
            let hasChecksum = line.count > Self.prefixLength && Self.checksum(line) != nil
            return .failure(isJSON ? (hasChecksum ? .checksumMismatch : .noChecksum) : .notJSON)
        }
        if let entry = Self.decodeTransition(body) { return .success(entry) }
        var payload = Data([UInt8(ascii: "{")])
        payload.append(contentsOf: body)
        do {
            return .success(try decoder.decode(JournalEntry.self, from: payload))
        } catch {
            return .failure(.notAnEntry(Self.describe(error)))
        }
    }

    /// The stored checksum, if the line starts with a well-formed `{"c":"xxxxxxxx",`.
    private static func checksum(_ line: UnsafeRawBufferPointer) -> UInt32? {
        guard line.count > prefixLength + 1, line.starts(with: prefix), line[14] == UInt8(ascii: "\""),
            line[15] == UInt8(ascii: ",")
        else { return nil }
        return parseHex8(UnsafeRawBufferPointer(rebasing: line[6..<14]))
    }

    /// The payload after its opening `{` (the line after the checksum member), if the checksum matches.
    private static func verifiedBody(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        guard let stored = checksum(line) else { return nil }
        let body = UnsafeRawBufferPointer(rebasing: line[prefixLength...])
        var value = crc32(0, [UInt8(ascii: "{")], 1)
        value = crc32(value, body.baseAddress?.assumingMemoryBound(to: UInt8.self), uInt(body.count))
        return UInt32(value) == stored ? body : nil
    }

    /// `sent` and `done` lines are nearly all of a journal: read the exact layout the encoder writes
    /// without JSONDecoder, which makes replay several times faster. Anything else returns nil.
    private static func decodeTransition(_ body: UnsafeRawBufferPointer) -> JournalEntry? {
        var reader = ByteReader(bytes: body)
        if reader.skip(#""id":""#) {
            guard let id = reader.requestID(), reader.skip(#"","type":"sent"}"#), reader.atEnd else { return nil }
            return .sent(id)
        }
        guard reader.skip(#""created":"#), let created = reader.integer(), reader.skip(#","id":""#),
            let id = reader.requestID(), reader.skip(#"","status":"#), let status = reader.integer(),
            reader.skip(#","type":"done"}"#), reader.atEnd
        else { return nil }
        return .done(id, status: status, created: created)
    }

    private struct ByteReader {
        let bytes: UnsafeRawBufferPointer
        var position = 0

        var atEnd: Bool { position == bytes.count }

        mutating func skip(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard bytes.count - position >= count,
                memcmp(bytes.baseAddress! + position, literal.utf8Start, count) == 0
            else { return false }
            position += count
            return true
        }

        mutating func integer() -> Int? {
            var value = 0
            let start = position
            while position < bytes.count, position - start < 18,
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position])
            {
                value = value * 10 + Int(bytes[position] - UInt8(ascii: "0"))
                position += 1
            }
            return position > start ? value : nil
        }

        mutating func requestID() -> RequestID? {
            guard bytes.count - position >= 32,
                let id = RequestID(hex: String(decoding: bytes[position..<(position + 32)], as: UTF8.self))
            else { return nil }
            position += 32
            return id
        }
    }

    static func crc(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            UInt32(crc32(0, buffer.baseAddress, uInt(buffer.count)))
        }
    }

    private static func hex8(_ value: UInt32) -> [UInt8] {
        Hex.digits(of: UInt64(value), width: 8)
    }

    private static func parseHex8(_ bytes: UnsafeRawBufferPointer) -> UInt32? {
        Hex.decode(bytes, width: 8).map { UInt32($0) }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing \(key.stringValue.debugDescription)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context):
            context.debugDescription
        default: "\(error)"
        }
    }
}
