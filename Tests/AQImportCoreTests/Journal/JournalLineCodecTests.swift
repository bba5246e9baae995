import Foundation
import Testing

@testable import AQImportCore

@Suite("Journal line codec")
struct JournalLineCodecTests {
    static let id = RequestID(body: Array("body".utf8))

    @Test(arguments: [
        JournalEntry.sent(id),
        .done(id, status: 201, created: 500),
        .done(id, status: 200, created: 0),
        .done(id, status: 201, created: -1),
        .rejected(
            id, rejections: [ServerRejection(kind: .example, id: "é \"x\"\n", status: 400, detail: "bad / id")],
            created: 3),
        .resumed(at: Date(timeIntervalSince1970: 1_790_000_000.5), toolVersion: "1.2.3"),
        .input(InputFingerprint(path: "-", size: 10, modificationTime: nil, sha256: "00")),
        .finished(at: Date(timeIntervalSince1970: 1_790_000_001)),
    ])
    func everyEntryRoundTrips(entry: JournalEntry) throws {
        let codec = JournalLineCodec()
        let line = try codec.encode(entry)
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(line.filter { $0 == UInt8(ascii: "\n") }.count == 1)
        #expect(try codec.decode(line.dropLast()).get() == entry)
    }

    @Test func anyChangedByteIsCaught() throws {
        let codec = JournalLineCodec()
        let line = Array(try codec.encode(.done(Self.id, status: 201, created: 500)).dropLast())
        for index in line.indices {
            var edited = line
            edited[index] = edited[index] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
            #expect((try? codec.decode(edited[...]).get()) == nil, "byte \(index) changed unnoticed")
        }
    }
}
