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

    /// Replayed for reconciling, a journal keeps no record ids and shares its ids with the plan, and
    /// settles every id as the full replay does.
    @Test func replayForReconcilingSharesThePlansIDsAndSettlesAlike() async throws {
        let fixture = try JournalFixture()
        let hex = (0..<6).map { String(format: "%016x", 0xa0 + $0) }
        let planned = [
            PlannedRequest(sources: [
                RecordSource(
                    kind: .span, scope: .project(id: "P"), window: Self.window, ids: hex[0..<3].map(RecordID.init))
            ]),
            PlannedRequest(sources: [
                RecordSource(
                    kind: .span, scope: .project(id: "P"), window: Self.window, ids: hex[3..<6].map(RecordID.init))
            ]),
        ]
        // Not in the plan: its own ids are kept.
        let unplanned = PlannedRequest(sources: [
            RecordSource(kind: .trace, scope: .project(id: "P"), window: Self.window, ids: [RecordID("t1")])
        ])
        let plan = Plan(
            requests: planned, lowerBound: 1, minimumSourceCount: 2, windowCount: 1, recordCounts: [.span: 6],
            timeSpan: nil)
        func record(_ n: Int, _ id: String, _ kind: RecordKind = .span) -> QueueRecord {
            QueueRecord(recordID: Self.recordID(n), kind: kind, sourceID: Array(id.utf8))
        }
        let (journal, _) = try await Journal.open(path: fixture.journalPath, header: fixture.header(), fsync: false)
        // hex[5] was queued before; hex[4]'s answer is lost (the 201 names only hex[3]).
        try await journal.recordBaseline(
            [JournalMatches.Match(kind: .span, id: hex[5], recordID: Self.recordID(5))], queuedRecords: 1)
        for (request, created) in [
            (planned[0], [record(0, hex[0]), record(1, hex[1]), record(2, hex[2])]), (planned[1], [record(3, hex[3])]),
            (unplanned, [record(9, "t1", .trace)]),
        ] {
            try await journal.sending(request.id)
            try await journal.landed(request, created: created)
            try await journal.delivered(request.id, status: 201, created: created.count)
        }
        try await journal.close()

        let full = try #require(try Journal.replay(path: fixture.journalPath))
        let light = try #require(try Journal.replayForReconciling(path: fixture.journalPath, plan: plan))
        #expect(full.recordIDsKept && !light.recordIDsKept)
        // `verify` opens the journal the same way.
        let (opened, forVerify) = try await Journal.openExisting(
            path: fixture.journalPath, fsync: false, forReconciling: true)
        try await opened.close()
        #expect(!forVerify.recordIDsKept && forVerify.landings.values.joined().allSatisfy { $0.recordIDs.isEmpty })
        #expect(DeliveredIDs(state: forVerify).count == DeliveredIDs(state: full).count)
        // A resumed import too: it needs no record ids while it delivers.
        let (resumed, forResume) = try await Journal.open(
            path: fixture.journalPath, header: fixture.header(), fsync: false, forReconcilingWith: plan)
        try await resumed.close()
        #expect(!forResume.recordIDsKept && forResume.isSettled(planned[1].id) && forResume.baseline?.count == 1)
        #expect(
            forResume.landings[planned[0].id]?.first?.sources[0].ids.withUnsafeBufferPointer { $0.baseAddress }
                == planned[0].sources[0].ids.withUnsafeBufferPointer { $0.baseAddress })
        #expect(light.landings.values.joined().allSatisfy { $0.recordIDs.isEmpty && $0.createdIndices.count > 0 })
        for request in planned {
            let shared = try #require(light.landings[request.id]?.first?.sources[0].ids)
            let own = try #require(full.landings[request.id]?.first?.sources[0].ids)
            #expect(shared == own)
            // The same storage as the plan's: no second copy of the ids.
            #expect(
                shared.withUnsafeBufferPointer { $0.baseAddress }
                    == request.sources[0].ids.withUnsafeBufferPointer { $0.baseAddress })
            #expect(
                own.withUnsafeBufferPointer { $0.baseAddress }
                    != request.sources[0].ids.withUnsafeBufferPointer { $0.baseAddress })
        }
        #expect(light.landings[unplanned.id]?.first?.sources == unplanned.sources)

        let listing = (0..<6).map { record($0, hex[$0]) } + [record(9, "t1", .trace)]
        for (fullIDs, lightIDs) in [(DeliveredIDs(state: full), DeliveredIDs(state: light))] {
            let first = IDKey(kind: .span, id: RecordID(hex[0]))
            let inFull = try #require(fullIDs.position(of: first, scope: .project(id: "P")))
            let inLight = try #require(lightIDs.position(of: first, scope: .project(id: "P")))
            #expect(!lightIDs.recordIDsKept && lightIDs.recordID(of: inLight) == nil)
            #expect(fullIDs.recordID(of: inFull) == Self.recordID(0))
            #expect(lightIDs.hasUnconfirmed == fullIDs.hasUnconfirmed)
            for shown in [listing, Array(listing.dropFirst(2))] {
                var fullMarks = QueueMarks(count: fullIDs.count)
                var lightMarks = QueueMarks(count: lightIDs.count)
                fullIDs.mark(shown, in: &fullMarks)
                lightIDs.mark(shown, in: &lightMarks)
                let a = fullIDs.reconcile(inQueue: fullMarks)
                let b = lightIDs.reconcile(inQueue: lightMarks)
                #expect(a.perKind == b.perKind)
                #expect(a.newlyFound == b.newlyFound)
                #expect(a.missing == b.missing)
                #expect(a.classes == b.classes)
            }
            #expect(
                fullIDs.reconcile(inQueue: nil).perKind == lightIDs.reconcile(inQueue: nil).perKind)
            let everything = fullIDs.reconcile(
                inQueue: {
                    var marks = QueueMarks(count: fullIDs.count)
                    fullIDs.mark(listing, in: &marks)
                    return marks
                }())
            #expect(everything.perKind[.span] == ReconciliationCounts(created: 5, alreadyPresent: 1))
            // Marks keep a listed record id only where it is journaled as found: hex[4] (its answer lost),
            // not hex[5] (unconfirmed too, but the baseline held it) nor a confirmed id.
            var marks = QueueMarks(count: lightIDs.count)
            lightIDs.mark(listing, in: &marks)
            let place = { (n: Int) in
                lightIDs.position(of: IDKey(kind: .span, id: RecordID(hex[n])), scope: .project(id: "P"))!
            }
            #expect(marks.recordID(of: place(4)) == Self.recordID(4))
            #expect(marks.recordID(of: place(5)) == nil && marks.recordID(of: place(0)) == nil)
            #expect(
                everything.newlyFound == [JournalMatches.Match(kind: .span, id: hex[4], recordID: Self.recordID(4))])
        }
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
