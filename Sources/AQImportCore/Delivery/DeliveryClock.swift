/// An `any Clock<Duration>` opened once, so that the sender can read "time since start" and sleep
/// without carrying the clock's instant type around.
struct DeliveryClock: Sendable {
    let now: @Sendable () -> Duration
    let sleep: @Sendable (Duration) async throws -> Void

    init(_ clock: any Clock<Duration>) {
        self = Self.opening(clock)
    }

    private init(now: @escaping @Sendable () -> Duration, sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.now = now
        self.sleep = sleep
    }

    private static func opening<C: Clock<Duration>>(_ clock: C) -> DeliveryClock {
        let start = clock.now
        return DeliveryClock(
            now: { start.duration(to: clock.now) },
            sleep: { duration in try await clock.sleep(for: duration) }
        )
    }
}
