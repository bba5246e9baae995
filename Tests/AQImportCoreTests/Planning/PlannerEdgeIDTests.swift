import Testing

@testable import AQImportCore

/// Ids the compact id table stores outside its ordinary slots.
@Suite("Planner edge ids")
struct PlannerEdgeIDTests {
    @Test("the all-zero span id is kept, de-duplicated and sent once, earliest time first")
    func allZeroID() throws {
        let zero = "0000000000000000"
        let records = [
            PlannerTests.record(.span, zero, at: PlannerTests.t0 + 60),
            PlannerTests.record(.span, "00000000000000ff"),
            PlannerTests.record(.span, zero, at: PlannerTests.t0),
            PlannerTests.record(.span, "ffffffffffffffff"),
        ]
        var planner = Planner()
        let added = records.map { planner.add($0) }
        #expect(added == [true, true, false, true])
        #expect(planner.distinctCount == 3)
        let plan = PlannerTests.planAndValidate(records)
        let ids = plan.requests.flatMap(\.sources).flatMap(\.ids).map(\.text)
        #expect(ids.sorted() == ["0000000000000000", "00000000000000ff", "ffffffffffffffff"])
        let window = try #require(plan.requests.first?.sources.first?.window)
        #expect(window.start.secondsSinceEpoch == PlannerTests.t0 - 1)
    }
}
