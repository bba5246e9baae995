import Foundation
import Testing

@testable import AQImportCore

@Suite struct PreflightSampleTests {
    static let day: Int64 = 86_400
    static let t0: Int64 = 1_767_225_600  // 2026-01-01T00:00:00Z
    static let projectA = Scope.project(id: "UHJvamVjdDpB")
    static let projectB = Scope.project(id: "UHJvamVjdDpC")
    static let dataset = Scope.dataset(id: "RGF0YXNldDox", versionID: nil)

    /// `count` ids of `kind`, one every `step` seconds from t0 (examples: untimed).
    static func records(
        _ kind: RecordKind, _ scope: Scope, count: Int, step: Int64 = 60, prefix: String = "id"
    ) -> [RecordRef] {
        (0..<count).map { n in
            RecordRef(
                kind: kind, id: RecordID("\(prefix)-\(n)"), scope: scope,
                timestamp: kind == .example ? nil : Timestamp(secondsSinceEpoch: t0 + Int64(n) * step),
                origin: RowOrigin(fileIndex: 0, line: n + 2))
        }
    }

    static func plan(_ records: [RecordRef], options: PlanOptions = .init()) -> Plan {
        var planner = Planner(options: options)
        for record in records { planner.add(record) }
        return planner.plan()
    }

    /// The time of each planned id (its source's window), to see where a sample fell.
    static func windows(of plan: Plan) -> [String: TimeWindow] {
        var out: [String: TimeWindow] = [:]
        for request in plan.requests {
            for source in request.sources {
                for id in source.ids { out[id.text] = source.window }
            }
        }
        return out
    }

    @Test func oneWindowGivesALookupPerSourceOfTwentyIdsEvenlySpread() throws {
        let plan = Self.plan(Self.records(.span, Self.projectA, count: 1000))
        let samples = PreflightSample.draw(from: plan)
        let sample = try #require(samples.first)
        #expect(samples.count == 1)
        #expect(sample.kind == .span)
        #expect(sample.scope == Self.projectA)
        #expect(sample.groupSize == 1000)
        #expect(sample.windowCount == 1)
        // Two sources of 500: a look-up each, ten ids each.
        #expect(sample.lookups.count == 2)
        // The middle of each of twenty equal stretches of the time-ordered ids.
        #expect(sample.lookups.flatMap(\.ids).map(\.text) == (0..<20).map { "id-\(25 + 50 * $0)" })
        // Each look-up searches exactly the window its ids are sent with.
        let own = Self.windows(of: plan)
        for lookup in sample.lookups {
            for id in lookup.ids { #expect(own[id.text] == lookup.window) }
        }
    }

    @Test func theSampleIsTheSameForTheSamePlan() {
        let records = Self.records(.span, Self.projectA, count: 3000, step: 1200)
        let first = PreflightSample.draw(from: Self.plan(records))
        let second = PreflightSample.draw(from: Self.plan(records.reversed()))
        #expect(first == second)
    }

    @Test func manyWindowsGetFiveLookupsSpreadOverTheirTimeSpan() throws {
        // 100 ids a day for 70 days: ten windows of at most 7 days.
        let plan = Self.plan(Self.records(.span, Self.projectA, count: 7000, step: 864))
        let sample = try #require(PreflightSample.draw(from: plan).first)
        #expect(sample.windowCount == 10)
        #expect(sample.lookups.count == PreflightSample.lookupsPerGroup)
        #expect(sample.sampledCount == 20)
        #expect(sample.lookups.allSatisfy { $0.ids.count == 4 })
        let windows = sample.lookups.map { $0.window! }
        for window in windows {
            let seconds = (window.end.nanosecondsSinceEpoch - window.start.nanosecondsSinceEpoch) / 1_000_000_000
            #expect(seconds <= APILimits.maxWindowSeconds)
        }
        // Windows 1, 3, 5, 7 and 9 of 0...9: spread from the first weeks to the last.
        let weeks = windows.map {
            ($0.start.secondsSinceEpoch / 2 + $0.end.secondsSinceEpoch / 2 - Self.t0) / (7 * Self.day)
        }
        #expect(weeks == [1, 3, 5, 7, 9])
        #expect(Set(sample.lookups.flatMap(\.ids)).count == 20)
    }

    @Test func idsAreSharedOutInTurnAmongFewWindows() throws {
        // Two ids in the first week, 100 in the third and 100 in the fifth: 2 + 9 + 9.
        var records = Self.records(.span, Self.projectA, count: 2, prefix: "a")
        records += Self.records(.span, Self.projectA, count: 100, prefix: "b").map { shifted($0, by: 14 * Self.day) }
        records += Self.records(.span, Self.projectA, count: 100, prefix: "c").map { shifted($0, by: 28 * Self.day) }
        let sample = try #require(PreflightSample.draw(from: Self.plan(records)).first)
        #expect(sample.windowCount == 3)
        #expect(sample.lookups.map(\.ids.count) == [2, 9, 9])
        #expect(sample.lookups[0].ids.map(\.text) == ["a-0", "a-1"])
        #expect(sample.lookups[1].ids.allSatisfy { $0.text.hasPrefix("b-") })
    }

    @Test func aSmallGroupIsSampledWhole() throws {
        let plan = Self.plan(Self.records(.trace, Self.projectA, count: 7))
        let sample = try #require(PreflightSample.draw(from: plan).first)
        #expect(sample.sampledCount == 7)
        #expect(Set(sample.lookups.flatMap(\.ids).map(\.text)) == Set((0..<7).map { "id-\($0)" }))
    }

    @Test func everyGroupGetsItsOwnSampleInKindAndScopeOrder() throws {
        var records = Self.records(.example, Self.dataset, count: 300, prefix: "ex")
        records += Self.records(.span, Self.projectB, count: 50, prefix: "b")
        records += Self.records(.span, Self.projectA, count: 50, prefix: "a")
        records += Self.records(.session, Self.projectA, count: 150, prefix: "s")
        let samples = PreflightSample.draw(from: Self.plan(records))
        #expect(samples.map(\.kind) == [.span, .span, .session, .example])
        #expect(samples.map(\.scope) == [Self.projectA, Self.projectB, Self.projectA, Self.dataset])
        #expect(samples.map(\.sampledCount) == [20, 20, 20, 20])
        #expect(samples[0].lookups.flatMap(\.ids).allSatisfy { $0.text.hasPrefix("a-") })
        #expect(samples[2].lookups.flatMap(\.ids).allSatisfy { $0.text.hasPrefix("s-") })
        let examples = samples[3]
        #expect(examples.lookups.count == 1)
        #expect(examples.lookups[0].window == nil)
        #expect(examples.groupSize == 300)
    }

    @Test func fixedWindowRecordsAreLookedUpInTheFixedWindow() throws {
        let window = TimeWindow(
            start: Timestamp(secondsSinceEpoch: Self.t0), end: Timestamp(secondsSinceEpoch: Self.t0 + Self.day))
        let records = (0..<40).map {
            RecordRef(
                kind: .span, id: RecordID("f-\($0)"), scope: Self.projectA, timestamp: nil,
                origin: RowOrigin(fileIndex: 0, line: $0 + 2))
        }
        let sample = try #require(
            PreflightSample.draw(from: Self.plan(records, options: PlanOptions(fixedWindow: window))).first)
        #expect(sample.lookups.count == 1)
        #expect(sample.lookups[0].window == window)
        #expect(sample.sampledCount == 20)
    }

    @Test func queriesFilterOnTheKindsFieldWithinTheWindow() throws {
        let window = TimeWindow(
            start: Timestamp(secondsSinceEpoch: Self.t0), end: Timestamp(secondsSinceEpoch: Self.t0 + 60))
        let lookup = PreflightSample.Lookup(window: window, ids: [RecordID("a1b2c3d4e5f60718"), RecordID("it's")])
        let spans = PreflightQuery(kind: .span, scope: Self.projectA, lookup: lookup).read
        #expect(spans.method == "POST")
        #expect(spans.path == "/v2/spans")
        let body = try Self.json(spans)
        #expect(body["project_id"] as? String == "UHJvamVjdDpB")
        #expect(body["start_time"] as? String == "2026-01-01T00:00:00Z")
        #expect(body["end_time"] as? String == "2026-01-01T00:01:00Z")
        #expect(body["filter"] as? String == "context.span_id = 'a1b2c3d4e5f60718' OR context.span_id = 'it''s'")
        #expect(body["included_columns"] as? [String] == ["context.span_id"])

        let sessions = PreflightQuery(kind: .session, scope: Self.projectA, lookup: lookup).read
        let sessionBody = try Self.json(sessions)
        #expect(sessions.path == "/v2/spans")
        #expect((sessionBody["filter"] as? String)?.hasPrefix("attributes.session.id = 'a1b2c3d4e5f60718' OR ") == true)

        let traces = PreflightQuery(kind: .trace, scope: Self.projectA, lookup: lookup).read
        let traceBody = try Self.json(traces)
        #expect(traces.path == "/v2/traces")
        #expect(traceBody["included_columns"] == nil)
        #expect((traceBody["filter"] as? String)?.hasPrefix("context.trace_id = ") == true)

        let examples = PreflightQuery(
            kind: .example, scope: .dataset(id: "RGF0YXNldDox", versionID: "VjE="),
            lookup: PreflightSample.Lookup(window: nil, ids: [RecordID("e1")])
        ).read
        #expect(examples.method == "GET")
        #expect(examples.target == "/v2/datasets/RGF0YXNldDox/examples?dataset_version_id=VjE%3D")
        #expect(examples.body == nil)
    }

    static func json(_ read: RemoteRead) throws -> [String: Any] {
        let bytes = try #require(read.body)
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func aQuoteBeforeACombiningMarkIsStillDoubled() {
        let lookup = PreflightSample.Lookup(window: nil, ids: [RecordID("x'\u{301}y")])
        let query = PreflightQuery(kind: .span, scope: Self.projectA, lookup: lookup)
        #expect(query.filter == "context.span_id = 'x''\u{301}y'")
    }
}

private func shifted(_ record: RecordRef, by seconds: Int64) -> RecordRef {
    var record = record
    record.timestamp = record.timestamp.map {
        Timestamp(nanosecondsSinceEpoch: $0.nanosecondsSinceEpoch + seconds * 1_000_000_000)
    }
    return record
}
