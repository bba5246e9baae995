import Foundation
import Testing

@testable import AQImportCore

@Suite struct ReconciliationTests {
    static let window = TimeWindow(
        start: Timestamp(secondsSinceEpoch: 1_768_435_200), end: Timestamp(secondsSinceEpoch: 1_768_521_600))
    static let header = JournalHeader(
        toolVersion: "test", queueID: "q", endpointHost: "h", planOptions: [:], inputs: [],
        createdAt: Date(timeIntervalSince1970: 0))

    static func request(_ ids: [String], kind: RecordKind = .span) -> PlannedRequest {
        PlannedRequest(sources: [
            RecordSource(kind: kind, scope: .project(id: "P"), window: window, ids: ids.map { RecordID($0) })
        ])
    }

    static func record(_ recordID: String, _ id: String?, kind: RecordKind = .span) -> QueueRecord {
        QueueRecord(recordID: recordID, kind: kind, sourceID: id.map { Array($0.utf8) })
    }

    /// A journal state in which `request` was sent and settled with `created` records.
    static func state(
        _ request: PlannedRequest, created: [QueueRecord], baseline: [JournalMatches.Match]?
    ) -> JournalState {
        var state = JournalState(header: header)
        if let baseline { state.apply(.baseline(JournalMatches(matches: baseline), records: baseline.count)) }
        state.apply(.sent(request.id))
        state.apply(.landed(request.id, JournalLanding(request: request, created: created)))
        state.apply(.done(request.id, status: 201, created: created.count))
        return state
    }

    static let ids = ["00000000000000a0", "00000000000000a1", "00000000000000a2", "00000000000000a3"]

    @Test func eachIDIsSettledAsCreatedAlreadyPresentOrNotFound() {
        let request = Self.request(Self.ids)
        // a0 confirmed by the 201; a1 created but its answer lost; a2 queued before; a3 not found.
        let state = Self.state(
            request, created: [Self.record("r0", Self.ids[0]), Self.record("r-unnamed", nil)],
            baseline: [JournalMatches.Match(kind: .span, id: Self.ids[2], recordID: "r2")])
        let delivered = DeliveredIDs(state: state)
        #expect(delivered.count == 4)
        #expect(delivered.hasUnconfirmed)
        let result = delivered.reconcile(inQueue: ["r0", "r1", "r2", nil])
        #expect(result.perKind[.span] == ReconciliationCounts(created: 2, alreadyPresent: 1, notFound: 1))
        #expect(result.newlyFound == [JournalMatches.Match(kind: .span, id: Self.ids[1], recordID: "r1")])
        #expect(result.missing.map(\.id) == [RecordID(Self.ids[3])])
        #expect(result.missing[0].reason.hasPrefix("not found in project P between 2026-01-15T00:00:00Z and "))
        // Undo deletes the confirmed record and the record that named no id, never the baseline's.
        #expect(Set(delivered.createdRecordIDs) == ["r0", "r-unnamed"])
    }

    @Test func withoutABaselineAnUnconfirmedIDInTheQueueCountsAsAlreadyPresent() {
        let request = Self.request(Self.ids)
        let state = Self.state(request, created: [Self.record("r0", Self.ids[0])], baseline: nil)
        let result = DeliveredIDs(state: state).reconcile(inQueue: ["r0", "r1", "r2", "r3"])
        #expect(result.perKind[.span] == ReconciliationCounts(created: 1, alreadyPresent: 3))
        #expect(result.newlyFound.isEmpty)
    }

    @Test func withoutAListingUnconfirmedIDsStayUnconfirmed() {
        let request = Self.request(Self.ids)
        let state = Self.state(request, created: [Self.record("r0", Self.ids[0])], baseline: [])
        let result = DeliveredIDs(state: state).reconcile(inQueue: nil)
        #expect(result.perKind[.span] == ReconciliationCounts(created: 1, unconfirmed: 3))
        #expect(!result.listed)
    }

    @Test func refusedIDsAreNotCounted() {
        let request = Self.request(Self.ids)
        var state = JournalState(header: Self.header)
        state.apply(.sent(request.id))
        state.apply(.landed(request.id, JournalLanding(request: request, created: [Self.record("r0", Self.ids[0])])))
        state.apply(
            .rejected(
                request.id, rejections: [ServerRejection(kind: .span, id: Self.ids[3], status: 422, detail: "bad")],
                created: 1))
        #expect(DeliveredIDs(state: state).count == 3)
    }

    @Test func unsettledRequestsAreNotDelivered() {
        let request = Self.request(Self.ids)
        var state = JournalState(header: Self.header)
        state.apply(.sent(request.id))
        state.apply(.landed(request.id, JournalLanding(request: request, created: [])))
        #expect(DeliveredIDs(state: state).count == 0)
    }

    /// Issue 13 item 7: ids are bytes; `café` in NFC and in NFD are two ids, and a record naming one
    /// settles only that one.
    @Test(arguments: [("caf\u{E9}", "cafe\u{301}"), ("\u{C5}", "\u{212B}")])
    func canonicallyEquivalentIDsStayApart(pair: (String, String)) {
        #expect(pair.0 == pair.1)  // Swift's String equality merges them; reconciliation must not.
        let request = Self.request([pair.0, pair.1], kind: .session)
        let state = Self.state(request, created: [Self.record("rB", pair.1, kind: .session)], baseline: [])
        let delivered = DeliveredIDs(state: state)
        #expect(delivered.count == 2)
        let result = delivered.reconcile(inQueue: [nil, "rB"])
        #expect(result.perKind[.session] == ReconciliationCounts(created: 1, notFound: 1))
        #expect(result.missing.map { Array($0.id.text.utf8) } == [Array(pair.0.utf8)])
    }

    @Test func createdRecordsAreReadFromTheBodyWithTheirSourceIDs() throws {
        let body = #"""
            {"record_sources":[
              {"id":"r1","source_type":"SPANS","granularity":"SPAN","data":{"context.span_id":"00000000000000a0","context.trace_id":"t"}},
              {"id":"r2","source_type":"SPANS","granularity":"TRACE","data":{"context.span_id":"s","context.trace_id":"t2"}},
              {"id":"r3","source_type":"DATASET","data":{"id":"ex1"}},
              {"id":"r4","data":{"attributes.session.id":"sess"}},
              {"id":"r5","granularity":"SPAN","data":{}},
              {"granularity":"SPAN"}
            ]}
            """#
        let records = try #require(QueueRecord.created(inBody: Array(body.utf8)))
        #expect(records.map(\.recordID) == ["r1", "r2", "r3", "r4", "r5", ""])
        #expect(records.map(\.kind) == [.span, .trace, .example, .session, .span, .span])
        #expect(
            records.map { $0.sourceID.map { String(decoding: $0, as: UTF8.self) } } == [
                "00000000000000a0", "t2", "ex1", "sess", nil, nil,
            ])
        #expect(QueueRecord.created(inBody: Array(#"{"record_sources":[]}"#.utf8)) == [])
        #expect(QueueRecord.created(inBody: Array("nope".utf8)) == nil)
    }

    @Test func undoBatchesAreSortedUniqueAndOfAHundred() {
        let ids = (0..<250).map { "rec-\(String($0).leftPad(3))" }
        let batches = Undo.batches(of: ids.reversed() + ids.prefix(10))
        #expect(batches.map(\.recordIDs.count) == [100, 100, 50])
        #expect(batches.flatMap(\.recordIDs) == ids)
        #expect(Undo.batches(of: ids).map(\.id) == batches.map(\.id))
        let body = String(decoding: batches[2].body, as: UTF8.self)
        #expect(body.hasPrefix(#"{"record_ids":["rec-200","#) && body.hasSuffix(#""rec-249"]}"#))
    }

    @Test func missingIDsAreWrittenToReplayTheirWindow() {
        let window = Self.window
        let missing = ["00000000000000a1", "00000000000000a2", "00000000000000a3"].map {
            Reconciliation.Missing(
                kind: .span, scope: .project(id: "P,1"), window: window, id: RecordID($0), wasCreated: false)
        }
        let csv = String(decoding: MissingIDsWriter.render(missing, kind: .span, format: .csv), as: UTF8.self)
        #expect(
            csv == """
                context.span_id,project_id,start_time
                00000000000000a1,"P,1",2026-01-15T00:00:01Z
                00000000000000a2,"P,1",2026-01-15T23:59:59Z
                00000000000000a3,"P,1",2026-01-15T23:59:59Z

                """)
        let ndjson = String(
            decoding: MissingIDsWriter.render(Array(missing.prefix(1)), kind: .span, format: .ndjson), as: UTF8.self)
        #expect(
            ndjson == #"{"context.span_id":"00000000000000a1","project_id":"P,1","start_time":"2026-01-15T00:00:01Z"}"#
                + "\n")
    }

    @Test func theSameIDInTwoProjectsIsTwoDeliveredIDsWithTheirOwnRecords() {
        // A session id used in two projects: two sources, two records, two ids to settle and undo.
        let request = PlannedRequest(
            sources: ["A", "B"].map {
                RecordSource(
                    kind: .session, scope: .project(id: $0), window: Self.window, ids: [RecordID("sess-1")])
            })
        let created = [Self.record("rA", "sess-1", kind: .session), Self.record("rB", "sess-1", kind: .session)]
        let state = Self.state(request, created: created, baseline: [])
        let delivered = DeliveredIDs(state: state)
        #expect(delivered.count == 2)
        #expect(Set(delivered.createdRecordIDs) == ["rA", "rB"])
        let key = IDKey(kind: .session, id: RecordID("sess-1"))
        let inA = delivered.position(of: key, scope: .project(id: "A"))
        let inB = delivered.position(of: key, scope: .project(id: "B"))
        #expect(inA != nil && inB != nil && inA != inB)
        let bothListed = delivered.reconcile(inQueue: ["rA", "rB"])
        #expect(bothListed.perKind[.session] == ReconciliationCounts(created: 2))
        let oneGone = delivered.reconcile(inQueue: ["rA", nil])
        #expect(oneGone.perKind[.session] == ReconciliationCounts(created: 1, notFound: 1))
        #expect(
            oneGone.counts(of: [(.session, .project(id: "A"), RecordID("sess-1"))]) == ReconciliationCounts(created: 1))
    }

    @Test func missingIDsOfProjectsSpelledInNFCAndNFDKeepTheirOwnWindows() {
        let nfc = "caf\u{E9}"
        let nfd = "cafe\u{301}"
        let missing = [(nfc, "00000000000000b1"), (nfc, "00000000000000b2"), (nfd, "00000000000000b3")].map {
            Reconciliation.Missing(
                kind: .span, scope: .project(id: $0.0), window: Self.window, id: RecordID($0.1), wasCreated: false)
        }
        let csv = String(decoding: MissingIDsWriter.render(missing, kind: .span, format: .csv), as: UTF8.self)
        let lines = csv.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines.dropFirst().map { $0.hasSuffix("2026-01-15T00:00:01Z") } == [true, false, true])
        #expect(Array(lines[3].utf8.prefix(23)) == Array("00000000000000b3,\(nfd)".utf8))
    }
}

extension String {
    fileprivate func leftPad(_ width: Int) -> String { String(repeating: "0", count: max(width - count, 0)) + self }
}

/// The sender hands the journal each settled request's created records, read from its 201 bodies,
/// bisection pieces included.
@Suite struct SenderLandingTests {
    final class LandingRecorder: DeliveryRecorder {
        let landings = Locked<[RequestID: [QueueRecord]]>([:])
        func sending(_ request: RequestID) async throws {}
        func delivered(_ request: RequestID, status: Int, created: Int) async throws {}
        func rejected(_ request: RequestID, rejections: [ServerRejection], created: Int) async throws {}
        func landed(_ request: PlannedRequest, created: [QueueRecord]) async throws {
            landings.withLock { $0[request.id, default: []] += created }
        }
    }

    @Test func createdRecordsReachTheRecorderWithTheirSourceIDs() async throws {
        let transport = FakeTransport { request, _ in
            let ids = FakeTransport.ids(in: request)
            if ids.contains("00000000000000b2") && ids.count > 1 { return FakeTransport.problem(422, "bad id") }
            if ids == ["00000000000000b2"] { return FakeTransport.problem(422, "bad id") }
            // The first id was already queued: a 201 that names only the others.
            let entries = ids.filter { $0 != "00000000000000b0" }.map {
                #"{"id":"rec-\#($0)","granularity":"SPAN","data":{"context.span_id":"\#($0)"}}"#
            }
            let status = entries.isEmpty ? 200 : 201
            return HTTPResponse(
                status: status, body: Array(#"{"record_sources":[\#(entries.joined(separator: ","))]}"#.utf8))
        }
        let recorder = LandingRecorder()
        let sender = Sender(
            queueID: "q", endpoint: Endpoint(scheme: "http", host: "127.0.0.1", port: 1),
            credential: APICredential(key: "k", source: .environment(variable: "ARIZE_API_KEY")), transport: transport,
            recorder: recorder, clock: TestClock(), random: SplitMix64(seed: 1))
        let request = ReconciliationTests.request([
            "00000000000000b0", "00000000000000b1", "00000000000000b2", "00000000000000b3",
        ])
        _ = await sender.deliver([request])
        let landed = recorder.landings.withLock { $0[request.id] } ?? []
        #expect(Set(landed.map(\.recordID)) == ["rec-00000000000000b1", "rec-00000000000000b3"])
        let landing = JournalLanding(request: request, created: landed)
        #expect(Set(landing.createdIndices) == [1, 3])
    }
}
