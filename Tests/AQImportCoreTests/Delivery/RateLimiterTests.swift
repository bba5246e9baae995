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
    @Test func aHaltEndsTheWaitForAToken() async throws {
        let clock = TestClock(autoAdvance: false)
        let limiter = RateLimiter(rate: 0.01, clock: clock)
        let halt = HaltSignal()
        #expect(await limiter.acquire(unlessHalted: halt))
        // The next token is 100 s away on a clock that never moves: only the halt can end this wait.
        let waiting = Task { await limiter.acquire(unlessHalted: halt) }
        while clock.sleeperCount == 0 { await Task.yield() }
        halt.halt()
        #expect(await waiting.value == false)
        #expect(await limiter.acquire(unlessHalted: halt) == false, "halted, no token is handed out")
    }

    @Test func aRateTooSmallForADurationIsSlowNotACrash() {
        let limiter = RateLimiter(rate: 1e-300, clock: TestClock())
        _ = limiter.reserve()
        #expect(limiter.reserve() == RateLimiter.longestInterval)
        let unlimited = RateLimiter(rate: .nan, clock: TestClock())
        #expect(unlimited.reserve() == .zero && unlimited.reserve() == .zero)
    }
}
