import AQImportCore
import Foundation
import Testing

/// Issue 11 end to end: a Parquet export is delivered, not only planned. samples/spans.parquet (written by
/// pyarrow from the same rows as spans.csv) goes into the double for real and is verified against its listing.
@Suite("Parquet delivery")
struct ParquetDeliveryTests {
    @Test("samples/spans.parquet lands in the double: exactly the valid ids of the export, each created once, verified")
    func parquetDelivers() async throws {
        let server = try TestServerProcess()
        defer { server.stop() }
        let dir = try TemporaryDirectory()
        let result = try BinaryRunner.run(
            "aq-import",
            [
                BinaryRunner.samples.appendingPathComponent("spans.parquet").path, "--queue",
                TestServerProcess.demoQueue, "--endpoint", server.endpoint, "--verify", "always", "--summary-json",
                dir.file("summary.json").path,
            ], in: dir.url, environment: ["ARIZE_API_KEY": "test-key"])
        // make-samples writes the Parquet export from the valid rows of spans.csv only.
        #expect(result.exitCode == 0, "\(result.stderr)")
        let expected = try DryRunTests.sampleSpanIDs()
        let stored = try await server.storedIDs()
        #expect(stored.count == expected.count)
        #expect(Set(stored) == Set(expected.map { "SPAN " + $0.split(separator: " ")[2] }))
        let summary = try RunSummary.decode(Data(contentsOf: dir.file("summary.json")))
        let verification = try #require(summary.verification)
        #expect(verification.listed)
        #expect(verification.created == expected.count)
        #expect(verification.notFound == 0 && verification.alreadyPresent == 0 && verification.unconfirmed == 0)
        #expect(summary.inputs.first?.rejected == 0)
    }
}
