/// A token bucket of `rate` requests a second holding up to `burst` tokens, kept as its theoretical
/// arrival time (GCRA): each `acquire` books the next free slot at once and then sleeps until it, so
/// concurrent callers queue up in order without a lock held across the sleep.
public final class RateLimiter: Sendable {
    private let interval: Duration?
    private let tolerance: Duration
    private let clock: DeliveryClock
    private let nextSlot = Locked<Duration>(.zero)

    /// The longest interval kept: a smaller rate (which `--rate` refuses) is that slow, not a crash.
    static let longestInterval = Duration.seconds(86_400)

    /// `rate` nil, not positive or not a number: unlimited.
    public init(rate: Double?, burst: Int = 1, clock: any Clock<Duration>) {
        if let rate, rate > 0 {
            // In whole nanoseconds, bounded first: `Duration.seconds(1 / 1e-300)` traps.
            let nanoseconds = 1e9 / rate
            let interval =
                !rate.isFinite
                ? .zero
                : nanoseconds >= 86_400e9 ? Self.longestInterval : .nanoseconds(Int64(nanoseconds.rounded()))
            self.interval = interval
            self.tolerance = interval * max(burst - 1, 0)
        } else {
            self.interval = nil
            self.tolerance = .zero
        }
        self.clock = DeliveryClock(clock)
    }

    /// The wait the next caller would be booked for, taking the slot. Exposed for tests.
    func reserve() -> Duration {
        guard let interval else { return .zero }
        let now = clock.now()
        return nextSlot.withLock { slot in
            let start = max(slot, now)
            slot = start + interval
            let wait = start - tolerance - now
            return wait > .zero ? wait : .zero
        }
    }

    /// Waits for a token. Throws `CancellationError` when the task is cancelled while waiting.
    public func acquire() async throws {
        let wait = reserve()
        if wait > .zero {
            try await clock.sleep(wait)
        }
    }

    /// Waits for a token unless `halt` comes first (a stop or an abort: the run sends nothing more, so
    /// its wait must not hold the grace period). `false` when halted or cancelled before the token.
    func acquire(unlessHalted halt: HaltSignal) async -> Bool {
        if halt.isHalted { return false }
        let wait = reserve()
        guard wait > .zero else { return true }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { [clock] in (try? await clock.sleep(wait)) != nil }
            group.addTask {
                await halt.wait()
                return false
            }
            let acquired = await group.next() ?? false
            group.cancelAll()
            return acquired && !Task.isCancelled
        }
    }
}
