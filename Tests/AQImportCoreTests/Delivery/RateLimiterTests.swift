import Testing

@testable import AQImportCore

@Suite struct RateLimiterTests {
    @Test func spacesRequestsAtTheRate() async throws {
        let clock = TestClock(autoAdvance: false)
        let limiter = RateLimiter(rate: 4, clock: clock)
        #expect((0..<5).map { _ in limiter.reserve() } == [0, 250, 500, 750, 1000].map { Duration.milliseconds($0) })
        clock.advance(by: .seconds(10))
        // An idle bucket does not bank tokens beyond its burst.
        #expect(limiter.reserve() == .zero)
        #expect(limiter.reserve() == .milliseconds(250))
    }

    @Test func burstAllowsThatManyAtOnce() {
        let limiter = RateLimiter(rate: 2, burst: 3, clock: TestClock())
        #expect((0..<5).map { _ in limiter.reserve() } == [0, 0, 0, 500, 1000].map { Duration.milliseconds($0) })
    }

    @Test func unlimitedNeverWaits() async throws {
        let clock = TestClock()
        let limiter = RateLimiter(rate: nil, clock: clock)
        for _ in 0..<100 { try await limiter.acquire() }
        #expect(clock.sleeps.isEmpty)
    }

    @Test func acquireSleepsOnTheInjectedClock() async throws {
        let clock = TestClock()
        let limiter = RateLimiter(rate: 10, clock: clock)
        for _ in 0..<3 { try await limiter.acquire() }
        #expect(clock.sleeps == [.milliseconds(100), .milliseconds(100)])
    }
}
