import Foundation
import Testing

@testable import AQImportCore

@Suite("Planner")
struct PlannerTests {
    static let day: Int64 = 86_400
    static let t0: Int64 = 1_767_225_600  // 2026-01-01T00:00:00Z

    static func record(
        _ kind: RecordKind, _ id: String, _ scope: Scope = .project(id: "P"), at seconds: Int64? = t0,
        nanos: Int64 = 0
    ) -> RecordRef {
        RecordRef(
            kind: kind, id: RecordID(id), scope: scope,
            timestamp: seconds.map { Timestamp(nanosecondsSinceEpoch: $0 * 1_000_000_000 + nanos) },
            origin: RowOrigin(fileIndex: 0, line: 1))
    }

    /// Plans `records` and checks every rule; returns the plan.
    static func planAndValidate(_ records: [RecordRef], options: PlanOptions = .init()) -> Plan {
        var planner = Planner(options: options)
        var validator = PlanValidator(options: options)
        for record in records {
            planner.add(record)
            validator.add(record)
        }
        let plan = planner.plan()
        #expect(validator.violations(plan) == [])
        return plan
    }

    @Test(
        "one scope in one window reaches L",
        arguments: [
            (RecordKind.span, 1), (.span, 500), (.span, 501), (.trace, 12_345), (.session, 100), (.session, 101),
            (.session, 2_501), (.example, 1_000),
        ])
    func oneWindowReachesLowerBound(kind: RecordKind, count: Int) {
        let scope: Scope = kind == .example ? .dataset(id: "D", versionID: nil) : .project(id: "P")
        let records = (0..<count).map { n in
            Self.record(kind, "id-\(n)", scope, at: kind == .example ? nil : Self.t0 + Int64(n % 5_000) * 60)
        }
        let plan = Self.planAndValidate(records)
        let cap = kind.maxIDsPerSource
        #expect(plan.lowerBound == (count + cap - 1) / cap)
        #expect(plan.requests.count == plan.lowerBound)
    }

    @Test("a duplicate is reported and keeps the earliest timestamp")
    func duplicatesKeepEarliest() throws {
        var planner = Planner()
        let added = [
            planner.add(Self.record(.trace, "abc", at: Self.t0 + 3 * Self.day)),
            planner.add(Self.record(.trace, "abc", at: Self.t0)),
            planner.add(Self.record(.trace, "abc", at: Self.t0 + 9 * Self.day)),
            planner.add(Self.record(.trace, "abc", .project(id: "Q"))),  // another scope
            planner.add(Self.record(.span, "abc")),  // another kind
        ]
        #expect(added == [true, false, false, true, true])
        #expect(planner.distinctCount == 3)
        #expect(planner.retimedCount == 2)
        let plan = planner.plan()
        let source = try #require(
            plan.requests.first?.sources.first { $0.kind == .trace && $0.scope == .project(id: "P") })
        #expect(
            source.window
                == TimeWindow(
                    start: Timestamp(secondsSinceEpoch: Self.t0 - 1), end: Timestamp(secondsSinceEpoch: Self.t0 + 1)))
    }

    @Test("records without a timestamp use the fixed window exactly, apart from timestamped ones")
    func untimedUseFixedWindow() {
        let window = TimeWindow(
            start: Timestamp(secondsSinceEpoch: Self.t0), end: Timestamp(secondsSinceEpoch: Self.t0 + 7 * Self.day))
        let records = (0..<700).map { Self.record(.span, "u\($0)", at: nil) } + [Self.record(.span, "timed")]
        let plan = Self.planAndValidate(records, options: PlanOptions(fixedWindow: window))
        let sources = plan.requests.flatMap(\.sources)
        #expect(sources.filter { $0.window == window }.reduce(0) { $0 + $1.ids.count } == 700)
        #expect(plan.requests.count == 2)
    }

    @Test("examples always list their ids, never a window, and keep their dataset version")
    func examplesExplicit() throws {
        let records = [
            Self.record(.example, "1", .dataset(id: "D", versionID: "V"), at: nil),
            Self.record(.example, "2", .dataset(id: "D", versionID: nil), at: Self.t0),
        ]
        let plan = Self.planAndValidate(records)
        #expect(plan.requests.count == 1)
        let body = String(decoding: try #require(plan.requests.first).body, as: UTF8.self)
        #expect(
            body
                == #"{"record_sources":[{"record_type":"EXAMPLE","dataset_id":"D","example_ids":["2"]},"#
                + #"{"record_type":"EXAMPLE","dataset_id":"D","dataset_version_id":"V","example_ids":["1"]}]}"#)
    }

    @Test("windows close 7 days after the first id, padding and rounding included")
    func windowBoundary() {
        let limit = APILimits.maxWindowSeconds - 2 * APILimits.windowPaddingSeconds
        let inside = Self.planAndValidate([
            Self.record(.span, "a", at: Self.t0), Self.record(.span, "b", at: Self.t0 + limit),
        ])
        #expect(inside.windowCount == 1)
        #expect(inside.requests.first?.sources.count == 1)
        let outside = Self.planAndValidate([
            Self.record(.span, "a", at: Self.t0, nanos: 999_999_999),
            Self.record(.span, "b", at: Self.t0 + limit, nanos: 1),
        ])
        #expect(outside.windowCount == 2)
        #expect(outside.requests.count == 1)  // two sources, one request
        #expect(outside.requests.first?.sources.count == 2)
    }

    @Test("small sources ride in the room of a large one cut into even pieces")
    func smallRideWithLarge() {
        var records = (0..<100_000).map { Self.record(.span, "big-\($0)", at: Self.t0 + Int64($0 % 80_000)) }
        for scope in 0..<50 {
            records += (0..<5).map { Self.record(.span, "s\($0)", .project(id: "small-\(scope)")) }
        }
        let plan = Self.planAndValidate(records)
        #expect(plan.lowerBound == 201)
        #expect(plan.requests.count == 201)
    }

    @Test("session pieces carry 400 other records each")
    func sessionsCarryOthers() {
        var records = (0..<1_000).map { Self.record(.session, "sess-\($0)") }
        for window in 0..<10 {
            records += (0..<400).map {
                Self.record(
                    .span, String(format: "%016x", window * 1_000 + $0), at: Self.t0 + Int64(window) * 8 * Self.day)
            }
        }
        let plan = Self.planAndValidate(records)
        #expect(plan.lowerBound == 10)
        #expect(plan.requests.count == 10)
    }

    @Test("the tail of one window rides with the head of the next")
    func tailWithHead() throws {
        let records =
            (0..<700).map { Self.record(.trace, "a\($0)", at: Self.t0) }
            + (0..<300).map { Self.record(.trace, "b\($0)", at: Self.t0 + 30 * Self.day) }
        let plan = Self.planAndValidate(records)
        #expect(plan.requests.count == 2)
        let shared = try #require(plan.requests.first { $0.sources.count == 2 })
        #expect(shared.sources[0].scope == shared.sources[1].scope)
        #expect(shared.sources[0].window != shared.sources[1].window)
    }

    @Test("hex and text ids of one group plan the same in any order")
    func mixedIDForms() {
        let ids = ["00000000000000ff", "ABC", "0000000000000001", "zz", "00000000000000aa", "b"]
        let forward = Self.planAndValidate(ids.map { Self.record(.span, $0) })
        let backward = Self.planAndValidate(ids.reversed().map { Self.record(.span, $0) })
        #expect(forward.requests.map(\.body) == backward.requests.map(\.body))
        #expect(
            forward.requests.first?.sources.first?.ids.map(\.text)
                == ["0000000000000001", "00000000000000aa", "00000000000000ff", "ABC", "b", "zz"])
    }

    @Test("an empty planner gives an empty plan")
    func empty() {
        let plan = Planner().plan()
        #expect(plan.requests.isEmpty)
        #expect(plan.lowerBound == 0)
        #expect(plan.recordsPerRequest == nil)
        #expect(plan.timeSpan == nil)
    }

    @Test("summary figures")
    func summary() throws {
        let records =
            (0..<750).map { Self.record(.span, "s\($0)", at: Self.t0 + Int64($0)) }
            + (0..<30).map { Self.record(.session, "x\($0)", at: Self.t0 + 40 * Self.day) }
            + [Self.record(.example, "e", .dataset(id: "D", versionID: nil), at: nil)]
        let plan = Self.planAndValidate(records)
        #expect(plan.recordCounts == [.span: 750, .session: 30, .example: 1])
        #expect(plan.recordCount == 781)
        #expect(plan.minimumSourceCount == 4)
        #expect(plan.lowerBound == 2)
        #expect(plan.requests.count == 2)
        #expect(plan.sourceCount == plan.requests.reduce(0) { $0 + $1.sources.count })
        let sizes = try #require(plan.recordsPerRequest)
        #expect(sizes.min + sizes.max == 781)
        #expect(sizes.mean == 390.5)
        #expect(plan.timeSpan?.start == Timestamp(secondsSinceEpoch: Self.t0))
        #expect(plan.timeSpan?.end == Timestamp(secondsSinceEpoch: Self.t0 + 40 * Self.day))
    }

    @Test("16-hex-char ids are kept as integers, about 32 bytes each with de-duplication")
    func compactStorage() {
        var group = RecordGroup(kind: .span, scope: .project(id: "P"))
        let count = 100_000
        for n in 0..<count {
            _ = group.insert(.hex64(SplitMix64.mix(UInt64(n))), time: Int64(n))
        }
        #expect(group.count == count)
        #expect(group.textIDs.isEmpty)
        // A native hash table keeps at most 3/4 of its power-of-two buckets full; a bucket is 16 bytes here.
        let buckets = Double(group.hexIDs.capacity) / 0.75
        #expect(buckets * 16 / Double(count) <= 48)
    }

    @Test("thousands of tiny scopes pair up")
    func manySmallScopes() {
        let records = (0..<2_000).flatMap { scope in
            (0..<3).map { Self.record(.span, "\($0)", .project(id: "P\(scope)"), at: Self.t0 + Int64(scope)) }
        }
        let plan = Self.planAndValidate(records)
        #expect(plan.lowerBound == 1_000)
        #expect(plan.requests.count == 1_000)
    }

    @Test("the first and last accepted times get windows a second beyond them, inside what the API takes")
    func acceptedTimeBounds() throws {
        let ends: [(String, Timestamp)] = [
            ("first", Timestamp.earliestAccepted), ("last", Timestamp.latestAccepted),
            ("late", Timestamp(nanosecondsSinceEpoch: Timestamp.latestAccepted.nanosecondsSinceEpoch - 500_000_000)),
        ]
        let records = ends.map { id, time in
            RecordRef(
                kind: .span, id: RecordID(id), scope: .project(id: "P"), timestamp: time,
                origin: RowOrigin(fileIndex: 0, line: 1))
        }
        // The validator checks each id is at least a second inside its window and no window starts before 1970.
        let plan = Self.planAndValidate(records)
        let windows = plan.requests.flatMap(\.sources).compactMap(\.window)
        #expect(windows.map(\.start.rfc3339).contains("1970-01-01T00:00:00Z"))
        #expect(windows.map(\.end.rfc3339).contains("2262-04-11T23:47:16Z"))
        #expect(TimestampParser.parse("2262-04-11T23:47:15Z") == .valid(Timestamp.latestAccepted))
        #expect(TimestampParser.parse("1970-01-01T00:00:01Z") == .valid(Timestamp.earliestAccepted))
    }

    @Test("timestamps at the very end of the representable range still plan")
    func extremeTimestamps() throws {
        var planner = Planner()
        planner.add(
            RecordRef(
                kind: .span, id: RecordID("a"), scope: .project(id: "P"),
                timestamp: Timestamp(nanosecondsSinceEpoch: .max), origin: RowOrigin(fileIndex: 0, line: 1)))
        let plan = planner.plan()
        let window = try #require(plan.requests.first?.sources.first?.window)
        #expect(window.start < window.end)
        #expect(window.end.rfc3339.hasPrefix("2262-04-11T23:47:1"))
    }
}
