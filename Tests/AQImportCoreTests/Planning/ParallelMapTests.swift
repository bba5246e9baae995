import Testing

@testable import AQImportCore

@Suite("Parallel map")
struct ParallelMapTests {
    @Test("results come in index order, whatever the chunking", arguments: [0, 1, 7, 64, 1000])
    func order(chunk: Int) {
        for count in [0, 1, 5, 999, 10_000] {
            let mapped = ParallelMap.map(count: count, chunk: max(chunk, 1)) { "\($0 * 3)" }
            #expect(mapped == (0..<count).map { "\($0 * 3)" })
        }
    }
}
