import Foundation
import Testing

@testable import AQImportCore

@Suite struct JournalLandingTests {
    static let window = TimeWindow(start: Timestamp(secondsSinceEpoch: 100), end: Timestamp(secondsSinceEpoch: 200))

    /// Record ids as the double writes them: base64 of `AnnotationQueueRecord:<n>`.
    static func recordID(_ n: Int) -> String { Data("AnnotationQueueRecord:\(n)".utf8).base64EncodedString() }

    @Test func roundTripsThroughTheCodecWithHexTextAndDatasetSources() throws {
        let request = PlannedRequest(sources: [
            RecordSource(
                kind: .span, scope: .project(id: "P"), window: Self.window,
                ids: [RecordID("00000000000000a0"), RecordID("00000000000000a1")]),
            RecordSource(
                kind: .example, scope: .dataset(id: "D", versionID: "V"), window: nil,
                ids: [RecordID("caf\u{E9}"), RecordID("cafe\u{301}"), RecordID("x|y")]),
        ])
        let created = [
            QueueRecord(recordID: Self.recordID(1_000_001), kind: .span, sourceID: Array("00000000000000a1".utf8)),
            QueueRecord(recordID: Self.recordID(1_000_002), kind: .example, sourceID: Array("cafe\u{301}".utf8)),
            QueueRecord(recordID: "élan|1", kind: .example, sourceID: Array("elsewhere".utf8)),
        ]
        let landing = JournalLanding(request: request, created: created)
        #expect(landing.createdIndices == [1, 3, -1])
        let codec = JournalLineCodec()
        let line = try codec.encode(.landed(request.id, landing))
        guard case .success(.landed(let id, let decoded)) = codec.decode(line.dropLast()) else {
            Issue.record("not decoded: \(String(decoding: line, as: UTF8.self))")
            return
        }
        #expect(id == request.id)
        #expect(decoded.sources == request.sources)
        #expect(Array(decoded.recordIDs) == created.map(\.recordID))
        #expect(decoded.createdIndices == [1, 3, -1])
        // Byte-exact: the NFD id comes back as NFD.
        #expect(
            decoded.sources[1].ids.map { Array($0.text.utf8) } == request.sources[1].ids.map { Array($0.text.utf8) })
    }

    /// The performance budget: a 16-hex span id and its record id cost at most 64 bytes of journal.
    @Test func aFullRequestCostsAtMost64BytesPerID() throws {
        var ids: [RecordID] = []
        var random = SplitMix64(seed: 7)
        for _ in 0..<500 { ids.append(.hex64(random.next())) }
        let request = PlannedRequest(sources: [
            RecordSource(kind: .span, scope: .project(id: "TW9kZWw6MTAxOnByb2RDaGF0"), window: Self.window, ids: ids)
        ])
        let created = ids.enumerated().map { index, id in
            QueueRecord(recordID: Self.recordID(9_000_000 + index), kind: .span, sourceID: Array(id.text.utf8))
        }
        let line = try JournalLineCodec().encode(
            .landed(request.id, JournalLanding(request: request, created: created)))
        let sent = try JournalLineCodec().encode(.sent(request.id))
        let done = try JournalLineCodec().encode(.done(request.id, status: 201, created: 500))
        let perID = Double(line.count + sent.count + done.count) / 500
        #expect(perID <= 64, "\(perID) bytes per id")
        print("journal bytes per id (landed + sent + done, 500 hex span ids): \(perID)")
    }

    @Test func frontCodingRoundTripsAnyText() throws {
        let values = ["", "abc", "abd", "abd", "ab", "añb", "añc", "\u{1F600}x", "\u{1F600}y", "9|9"]
        #expect(try FrontCoding.decode(FrontCoding.encode(values)) == values)
        #expect(FrontCoding.encode(["QW5ub3RhdGlvbjEyMzQ1", "QW5ub3RhdGlvbjEyMzQ2"])[1] == "19|2")
    }

    @Test func replayGathersLandingsBaselineFoundAndUndo() async throws {
        let fixture = try JournalFixture()
        let request = PlannedRequest(sources: [
            RecordSource(
                kind: .span, scope: .project(id: "P"), window: Self.window, ids: [RecordID("00000000000000a0")])
        ])
        let (journal, _) = try await Journal.open(path: fixture.journalPath, header: fixture.header(), fsync: false)
        try await journal.recordBaseline([], queuedRecords: 3)
        try await journal.sending(request.id)
        try await journal.landed(request, created: [])
        try await journal.delivered(request.id, status: 200, created: 0)
        try await journal.recordFound([JournalMatches.Match(kind: .span, id: "00000000000000a0", recordID: "r")])
        try await journal.recordVerification([.span: ReconciliationCounts(created: 1)])
        try await journal.recordUndoPlanned(batches: 1, records: 1)
        try await journal.recordDeleted(RequestID(body: [1]))
        try await journal.close()
        let state = try #require(try Journal.replay(path: fixture.journalPath))
        #expect(state.landings[request.id]?.count == 1)
        #expect(state.baseline == [] && state.baselineRecords == 3)
        #expect(state.found.map(\.recordID) == ["r"])
        #expect(state.verification?.counts["span"] == ReconciliationCounts(created: 1))
        #expect(state.undoPlanned?.batches == 1 && state.deletedBatches == [RequestID(body: [1])] && !state.undone)
        #expect(DeliveredIDs(state: state).createdRecordIDs == ["r"])
    }

    /// Issue 13 item 9: what is not a journal is neither opened for writing, chmodded, truncated nor renamed.
    @Test func aFileThatIsNotAJournalIsLeftAlone() async throws {
        let fixture = try JournalFixture()
        let path = fixture.directory + "/notes.csv"
        try "context.span_id\nabc\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        await #expect(throws: JournalError.notAJournal(path: path, reason: "it does not start with a journal line")) {
            _ = try await Journal.open(path: path, header: fixture.header(), fsync: false)
        }
        #expect(throws: JournalError.self) { _ = try Journal.archive(path: path) }
        await #expect(throws: JournalError.notAJournal(path: fixture.directory, reason: "it is a directory")) {
            _ = try await Journal.openExisting(path: fixture.directory)
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "context.span_id\nabc\n")
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o644)
        #expect(!FileManager.default.fileExists(atPath: path + ".old"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.directory) == ["notes.csv"])
    }
}
