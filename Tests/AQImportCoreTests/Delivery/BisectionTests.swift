import Testing

@testable import AQImportCore

@Suite struct BisectionTests {
    let window = TimeWindow(start: Timestamp(secondsSinceEpoch: 0), end: Timestamp(secondsSinceEpoch: 60))

    @Test func splitsAcrossSourcesKeepingEachValid() throws {
        let spans = RecordSource(
            kind: .span, scope: .project(id: "p"), window: window, ids: ["a", "b", "c"].map(RecordID.init))
        let examples = RecordSource(
            kind: .example, scope: .dataset(id: "d", versionID: nil), window: nil, ids: ["x", "y"].map(RecordID.init))
        let (first, second) = try #require(Bisection.split([spans, examples]))
        #expect(first.map(\.ids) == [["a", "b"].map(RecordID.init)])
        #expect(second.map(\.ids) == [["c"].map(RecordID.init), ["x", "y"].map(RecordID.init)])
        #expect(first[0].kind == .span && first[0].window == window && first[0].scope == .project(id: "p"))
        #expect(second[1].kind == .example && second[1].scope == .dataset(id: "d", versionID: nil))
    }

    @Test func neverLeavesAnEmptySource() throws {
        let one = RecordSource(kind: .span, scope: .project(id: "p"), window: window, ids: [RecordID("a")])
        let two = RecordSource(
            kind: .example, scope: .dataset(id: "d", versionID: "v"), window: nil, ids: [RecordID("x")])
        let (first, second) = try #require(Bisection.split([one, two]))
        #expect(first == [one])
        #expect(second == [two])
    }

    @Test func singleIDCannotBeSplit() {
        let one = RecordSource(kind: .trace, scope: .project(id: "p"), window: window, ids: [RecordID("a")])
        #expect(Bisection.split([one]) == nil)
    }
}
