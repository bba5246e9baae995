import Testing

@testable import AQImportCore

/// What the journal pins: every option that changes the plan, none that does not.
@Suite struct PlanShapingOptionsTests {
    @Test func everyOptionThatShapesThePlanIsPinned() {
        let window = TimeWindow(
            start: Timestamp(secondsSinceEpoch: 1_768_435_200), end: Timestamp(secondsSinceEpoch: 1_768_521_600))
        let read = ReadOptions(
            kind: .span, format: .csv, idColumn: "sid", timeColumn: "t", projectID: "P", datasetID: "D",
            datasetVersionID: "V", fixedWindow: window, computeSHA256: true)
        let configuration = ImportConfiguration(
            inputs: ["a.csv"], queueID: "Q", readOptions: read, rejectsPath: "r", maxRejects: .count(3),
            workingDirectory: "/w")
        #expect(
            configuration.planShapingOptions == [
                "kind": "span", "format": "csv", "id-column": "sid", "time-column": "t", "project-id": "P",
                "dataset-id": "D", "dataset-version-id": "V", "start": "2026-01-15T00:00:00Z",
                "end": "2026-01-16T00:00:00Z",
            ])
    }

    @Test func absentOptionsAreLeftOut() {
        let configuration = ImportConfiguration(inputs: ["a.csv"], queueID: "Q", workingDirectory: "/w")
        #expect(configuration.planShapingOptions.isEmpty)
    }
}
