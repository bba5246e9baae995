/// Set once when the run stops or aborts; wakes every request waiting out a backoff, so that a
/// request between attempts ends at once instead of sleeping through the grace period.
final class HaltSignal: Sendable {
    private struct State {
        var halted = false
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Locked(State())

    var isHalted: Bool { state.withLock { $0.halted } }

    func halt() {
        let waiters = state.withLock { state in
            state.halted = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once halted, or when the task is cancelled.
    func wait() async {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // Checked under the lock: a cancellation that came before this registration found no
                // waiter to resume, so it must not leave one behind.
                let resumeNow = state.withLock { state -> Bool in
                    if state.halted || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
