import Foundation

/// Decides when the progress line is drawn, and how. Fed from concurrent delivery callbacks, so every
/// method is thread-safe; drawing happens inside the update that triggers it, never on a timer of its
/// own (call `tick()` from a periodic task so that a stalled run still shows its rate falling).
///
/// - On a terminal: the line is redrawn in place (carriage return, clear line) at most every
///   `redrawInterval` (10 times a second), and `finish()` ends it with a newline.
/// - Not a terminal, or `TERM=dumb`: a plain line every `logInterval` (5 s), and a last one at the end.
/// - `quiet`: nothing.
/// Colour only on a terminal, and never with `NO_COLOR` set (to anything but empty) or `TERM=dumb`.
public final class ProgressReporter: @unchecked Sendable {
    public enum Mode: Sendable, Hashable {
        /// Redrawn in place, optionally coloured.
        case terminal(color: Bool)
        /// A plain line now and then.
        case log
        case quiet
    }

    public struct Options: Sendable {
        public var redrawInterval: Duration
        public var logInterval: Duration
        public var rateWindow: Duration
        /// The terminal's width in columns; `nil` leaves the line as long as it is.
        public var width: Int?

        public init(
            redrawInterval: Duration = .milliseconds(100), logInterval: Duration = .seconds(5),
            rateWindow: Duration = .seconds(10), width: Int? = nil
        ) {
            self.redrawInterval = redrawInterval
            self.logInterval = logInterval
            self.rateWindow = rateWindow
            self.width = width
        }
    }

    /// The mode for an output stream: `isTerminal` is whether stderr is a TTY (`isatty(2)`).
    public static func mode(isTerminal: Bool, quiet: Bool, environment: [String: String]) -> Mode {
        if quiet { return .quiet }
        let dumb = environment["TERM"] == "dumb"
        guard isTerminal && !dumb else { return .log }
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        return .terminal(color: !noColor)
    }

    static let clearLine = "\r\u{1B}[2K"

    private struct State {
        var snapshot = ProgressSnapshot()
        var rate: ProgressRate
        var lastDraw: Duration?
        /// Whether a line is on screen without its newline (terminal mode).
        var lineOpen = false
        var finished = false
    }

    public let mode: Mode
    public let options: Options
    private let now: @Sendable () -> Duration
    private let write: @Sendable (String) -> Void
    private let lock = NSLock()
    private var state: State

    /// `now` is the time since the run started (tests step it by hand); `write` takes text for stderr.
    public init(
        mode: Mode, options: Options = Options(), now: @escaping @Sendable () -> Duration,
        write: @escaping @Sendable (String) -> Void
    ) {
        self.mode = mode
        self.options = options
        self.now = now
        self.write = write
        self.state = State(rate: ProgressRate(window: options.rateWindow))
    }

    /// A reporter on the real clock, measuring from now.
    public convenience init(mode: Mode, options: Options = Options(), write: @escaping @Sendable (String) -> Void) {
        let clock = ContinuousClock()
        let start = clock.now
        self.init(mode: mode, options: options, now: { start.duration(to: clock.now) }, write: write)
    }

    // MARK: Feeding

    /// The totals for the run and what an earlier run already did (counted as done, and shown as resumed).
    public func start(recordsTotal: Int, requestsTotal: Int, recordsDoneBefore: Int = 0, requestsDoneBefore: Int = 0) {
        update(draw: true) { snapshot in
            snapshot.recordsTotal = recordsTotal
            snapshot.requestsTotal = requestsTotal
            snapshot.recordsDoneBefore = recordsDoneBefore
            snapshot.requestsDoneBefore = requestsDoneBefore
            snapshot.recordsDelivered = max(snapshot.recordsDelivered, recordsDoneBefore)
            snapshot.requestsDone = max(snapshot.requestsDone, requestsDoneBefore)
        }
    }

    /// One request finished: `records` delivered (created or already present), `rejected` refused.
    public func requestFinished(records: Int, rejected: Int = 0) {
        update { snapshot in
            snapshot.requestsDone += 1
            snapshot.recordsDelivered += records
            snapshot.rejected += rejected
        }
    }

    public func recordsRejected(_ count: Int) {
        update { $0.rejected += count }
    }

    /// A retry; `rateLimited` when it followed a 429.
    public func retried(rateLimited: Bool = false) {
        update { snapshot in
            snapshot.retries += 1
            if rateLimited { snapshot.rateLimited += 1 }
        }
    }

    /// Any other change, for counters the methods above do not cover.
    public func update(_ change: (inout ProgressSnapshot) -> Void) {
        update(draw: false, change)
    }

    /// Draws if it is time, without any change: keeps the rate and ETA honest while nothing arrives.
    public func tick() {
        update(draw: false) { _ in }
    }

    /// Draws the last state and ends the line. Later calls do nothing.
    public func finish() {
        let text: String? = lock.withLock {
            guard !state.finished else { return nil }
            state.finished = true
            let time = now()
            switch mode {
            case .quiet:
                return nil
            case .terminal(let color):
                state.lineOpen = false
                return Self.clearLine + line(at: time, color: color, elapsed: false) + "\n"
            case .log:
                return line(at: time, color: false, elapsed: true) + "\n"
            }
        }
        if let text { write(text) }
    }

    /// Takes the progress line off the screen (terminal mode), so that a message can be written; the
    /// next draw puts it back.
    public func clear() {
        let text: String? = lock.withLock {
            guard state.lineOpen else { return nil }
            state.lineOpen = false
            state.lastDraw = nil
            return Self.clearLine
        }
        if let text { write(text) }
    }

    /// The counters as they stand, with the current rate.
    public var snapshot: ProgressSnapshot {
        lock.withLock { current(at: now()) }
    }

    // MARK: Drawing

    private func update(draw force: Bool, _ change: (inout ProgressSnapshot) -> Void) {
        // The text is written under the lock so that lines from concurrent callers never interleave.
        lock.lock()
        defer { lock.unlock() }
        guard !state.finished else { return }
        let time = now()
        change(&state.snapshot)
        state.rate.record(state.snapshot.recordsDelivered - state.snapshot.recordsDoneBefore, at: time)
        let interval: Duration
        switch mode {
        case .quiet: return
        case .terminal: interval = options.redrawInterval
        case .log: interval = options.logInterval
        }
        if let last = state.lastDraw, time - last < interval, !(force && mode != .log) { return }
        // In log mode the first line waits one interval, so that a short run prints only its last line.
        if state.lastDraw == nil, mode == .log, time < interval {
            return
        }
        state.lastDraw = time
        switch mode {
        case .terminal(let color):
            state.lineOpen = true
            write(Self.clearLine + line(at: time, color: color, elapsed: false))
        case .log:
            write(line(at: time, color: false, elapsed: true) + "\n")
        case .quiet:
            break
        }
    }

    private func current(at time: Duration) -> ProgressSnapshot {
        var snapshot = state.snapshot
        snapshot.elapsed = time
        snapshot.recordsPerSecond = state.rate.recordsPerSecond(
            at: time, current: snapshot.recordsDelivered - snapshot.recordsDoneBefore)
        return snapshot
    }

    private func line(at time: Duration, color: Bool, elapsed: Bool) -> String {
        let snapshot = current(at: time)
        if elapsed {
            return "progress: " + ProgressLine.render(snapshot, color: false, showElapsed: true)
        }
        return ProgressLine.render(snapshot, width: options.width, color: color)
    }
}
