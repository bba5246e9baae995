import Testing

@testable import AQImportCore

@Suite struct BackoffTests {
    @Test(arguments: 1...12)
    func staysWithinTheDoublingCeiling(attempt: Int) {
        var random = SplitMix64(seed: UInt64(attempt))
        let ceiling = min(60.0, 0.5 * Double(1 << (attempt - 1)))
        for _ in 0..<200 {
            let wait = Backoff.delay(failedAttempt: attempt, using: &random)
            #expect(wait >= .zero)
            #expect(wait.inSeconds <= ceiling)
        }
    }

    @Test func isJitteredAndDeterministicForASeed() {
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        let a = (0..<20).map { _ in Backoff.delay(failedAttempt: 4, using: &first) }
        let b = (0..<20).map { _ in Backoff.delay(failedAttempt: 4, using: &second) }
        #expect(a == b)
        #expect(Set(a).count > 15)
        // Full jitter spreads over the whole range, not around the ceiling.
        #expect(a.contains { $0 < .seconds(2) } && a.contains { $0 > .seconds(2) })
    }

    @Test func hugeAttemptNumbersAreCapped() {
        var random = SplitMix64(seed: 3)
        let wait = Backoff.delay(failedAttempt: 10_000, base: .milliseconds(500), cap: .seconds(5), using: &random)
        #expect(wait <= .seconds(5))
    }
}
