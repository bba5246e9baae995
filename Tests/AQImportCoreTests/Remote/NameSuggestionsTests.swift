import Testing

@testable import AQImportCore

@Suite struct NameSuggestionsTests {
    @Test func editDistance() {
        #expect(NameSuggestions.editDistance("kitten", "sitting") == 3)
        #expect(NameSuggestions.editDistance("", "abc") == 3)
        #expect(NameSuggestions.editDistance("same", "same") == 0)
    }

    @Test func caseThenContainmentThenDistance() {
        let names = ["Review Queue", "review queue (old)", "Revue Queue", "triage", "reviews", "REVIEW QUEUE"]
        let nearest = NameSuggestions.nearest(to: "review queue", among: names)
        #expect(nearest == ["REVIEW QUEUE", "Review Queue", "review queue (old)", "Revue Queue"])
    }

    @Test func atMostFiveAndNoUnrelatedNames() {
        let names = (1...9).map { "queue \($0)" } + ["completely different"]
        let nearest = NameSuggestions.nearest(to: "queue", among: names)
        #expect(nearest.count == 5)
        #expect(!nearest.contains("completely different"))
        #expect(NameSuggestions.nearest(to: "zzz", among: ["alpha", "beta"]).isEmpty)
    }
}
