/// Permits for HTTP attempts in flight, with a limit that may move while callers wait (the AIMD
/// controller's). Waiters are served in order. A request waiting out a backoff holds no permit, so a
/// lowered limit takes effect at once instead of after the requests already dispatched drain.
final class ConcurrencyGate: Sendable {
    private struct State {
        var limit: Int
        var inUse = 0
        var halted = false
        var nextID = 0
        var waiters: [(id: Int, continuation: CheckedContinuation<Bool, Never>)] = []

        /// Takes permits for as many waiters as the limit allows and returns them to be resumed.
        mutating func admit() -> [CheckedContinuation<Bool, Never>] {
            var admitted: [CheckedContinuation<Bool, Never>] = []
            while inUse < limit, !waiters.isEmpty {
                inUse += 1
                admitted.append(waiters.removeFirst().continuation)
            }
            return admitted
        }
    }

    private let state: Locked<State>

    init(limit: Int) {
        state = Locked(State(limit: max(limit, 1)))
    }

    var inUse: Int { state.withLock { $0.inUse } }

    /// Waits for a permit; `false` (and no permit) when the gate was halted or the task cancelled.
    func acquire() async -> Bool {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let answer = state.withLock { state -> Bool? in
                    if state.halted || Task.isCancelled { return false }
                    if state.inUse < state.limit && state.waiters.isEmpty {
                        state.inUse += 1
                        return true
                    }
                    state.waiters.append((id, continuation))
                    return nil
                }
                if let answer { continuation.resume(returning: answer) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume(returning: false)
        }
    }

    func release() {
        let admitted = state.withLock { state in
            state.inUse -= 1
            return state.admit()
        }
        for continuation in admitted { continuation.resume(returning: true) }
    }

    func setLimit(_ limit: Int) {
        let admitted = state.withLock { state in
            state.limit = max(limit, 1)
            return state.admit()
        }
        for continuation in admitted { continuation.resume(returning: true) }
    }

    /// Turns every waiter away, now and from now on.
    func halt() {
        let turnedAway = state.withLock { state in
            state.halted = true
            defer { state.waiters = [] }
            return state.waiters.map(\.continuation)
        }
        for continuation in turnedAway { continuation.resume(returning: false) }
    }
}
