import Foundation

/// A value behind a lock, for the little state that concurrent deliveries share (counters, the
/// concurrency limit, the retry budget). No `await` ever happens while it is held.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
