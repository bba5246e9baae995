import Testing

@testable import AQImportCore

/// The journal pins every selection option and the seed through the plan-shaping options, so a
/// resume with other ones is refused; a run without a selection pins what it pinned before.
@Suite struct SelectionPinningTests {
    static func configuration(_ selection: SelectionOptions) -> ImportConfiguration {
        var configuration = ImportConfiguration(
            inputs: ["a.csv"], queueID: "Q", readOptions: ReadOptions(projectID: "P"), workingDirectory: "/w")
        configuration.selection = selection
        return configuration
    }

    @Test func everySelectionOptionAndTheSeedArePinned() {
        let options = Self.configuration(
            SelectionOptions(
                filter: "span_kind = 'LLM'", onePer: .trace, stratifyBy: "label", perStratum: 50, seed: 7,
                excludeQueues: ["Gold"])
        ).planShapingOptions
        #expect(
            options == [
                "project-id": "P", "where": "span_kind = 'LLM'", "one-per": "trace", "stratify-by": "label",
                "per-stratum": "50", "seed": "7", "exclude-queue": "Gold",
            ])
        let sampled = Self.configuration(SelectionOptions(sample: .percent(2.5))).planShapingOptions
        #expect(sampled["sample"] == "2.5%" && sampled["seed"] == "0")
    }

    @Test(arguments: [
        SelectionOptions(filter: "a = 2", sample: .count(10)), SelectionOptions(filter: "a = 1", sample: .count(11)),
        SelectionOptions(filter: "a = 1", sample: .count(10), seed: 1),
        SelectionOptions(filter: "a = 1", sample: .count(10), excludeQueues: ["q"]),
        SelectionOptions(filter: "a = 1", onePer: .session, sample: .count(10)),
    ])
    func aChangedOptionChangesWhatIsPinned(changed: SelectionOptions) {
        let base = Self.configuration(SelectionOptions(filter: "a = 1", sample: .count(10))).planShapingOptions
        #expect(Self.configuration(changed).planShapingOptions != base)
    }

    @Test func withoutASelectionNothingMoreIsPinned() {
        #expect(Self.configuration(SelectionOptions()).planShapingOptions == ["project-id": "P"])
        // The seed alone selects nothing and changes no plan.
        #expect(Self.configuration(SelectionOptions(seed: 5)).planShapingOptions == ["project-id": "P"])
    }
}
