import Foundation

/// Runs a reader on a thread of its own and hands its events to the calling thread in batches, so
/// that parsing (libcsv, the JSON scanner, the record builder) and what the caller does with each
/// record (de-duplication and planning) use two cores instead of taking turns on one.
///
/// The caller sees exactly what a direct call would give: the same events in the same order, then the
/// reader's error if it threw one. An error thrown by `handle` stops the reader (at its next batch) and
/// comes back out. At most `depth` batches wait, so memory stays bounded.
enum EventPipeline {
    static let batchSize = 8192
    static let depth = 8

    /// Thrown inside the reader's thread to unwind it once the consumer has stopped.
    private struct Stopped: Error {}

    /// Events filled by the reader, then moved out one by one by the consumer (an array would hand out
    /// copies); what is left when the consumer stops is released with the batch.
    private final class Batch: @unchecked Sendable {
        let base: UnsafeMutablePointer<ReadEvent>
        private(set) var count = 0
        private var taken = 0
        /// The records the events hold (a run counts its entries), which bounds a batch's memory.
        private var records = 0

        init() { base = .allocate(capacity: EventPipeline.batchSize) }

        var isFull: Bool { count == EventPipeline.batchSize || records >= EventPipeline.batchSize }

        func append(_ event: ReadEvent) {
            if case .records(let run) = event {
                records += run.entries.count
            } else {
                records += 1
            }
            (base + count).initialize(to: event)
            count += 1
        }

        /// Empty again, for reuse, once every event was taken.
        func reset() {
            precondition(taken == count)
            count = 0
            taken = 0
            records = 0
        }

        func take() -> ReadEvent {
            taken += 1
            return (base + taken - 1).move()
        }

        deinit {
            (base + taken).deinitialize(count: count - taken)
            base.deallocate()
        }
    }

    private final class Channel: @unchecked Sendable {
        let condition = NSCondition()
        var batches: [Batch] = []
        /// Emptied batches, handed back for the reader to fill again (their memory stays mapped).
        var spare: [Batch] = []

        func recycle(_ batch: Batch) {
            batch.reset()
            condition.lock()
            spare.append(batch)
            condition.unlock()
        }

        func emptyBatch() -> Batch {
            condition.lock()
            defer { condition.unlock() }
            return spare.popLast() ?? Batch()
        }
        var finished = false
        var failure: Error?
        var stopped = false

        /// Waits for room; false when the consumer has stopped.
        func put(_ batch: Batch) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            while batches.count >= EventPipeline.depth && !stopped { condition.wait() }
            if stopped { return false }
            batches.append(batch)
            condition.broadcast()
            return true
        }

        func finish(_ error: Error?) {
            condition.lock()
            finished = true
            failure = error
            condition.broadcast()
            condition.unlock()
        }

        /// The next batch, or nil at the end (with the reader's error, if any).
        func take() -> (batch: Batch?, failure: Error?) {
            condition.lock()
            defer { condition.unlock() }
            while batches.isEmpty && !finished { condition.wait() }
            if !batches.isEmpty {
                let batch = batches.removeFirst()
                condition.broadcast()
                return (batch, nil)
            }
            return (nil, failure)
        }

        func stop() {
            condition.lock()
            stopped = true
            batches.removeAll()
            condition.broadcast()
            condition.unlock()
        }

        func waitFinished() {
            condition.lock()
            while !finished { condition.wait() }
            condition.unlock()
        }
    }

    private final class Work: @unchecked Sendable {
        let body: ((ReadEvent) throws -> Void) throws -> Void
        init(_ body: @escaping ((ReadEvent) throws -> Void) throws -> Void) { self.body = body }
    }

    /// How many events ahead of `handle` the consumer's `ahead` sees each event.
    static let lookahead = 16

    /// `ahead` sees each event `lookahead` events before `handle` does (to prefetch what it will need),
    /// in place: an event is copied only when `ahead` takes something out of it.
    static func run(
        _ produce: @escaping ((ReadEvent) throws -> Void) throws -> Void, handle: (ReadEvent) throws -> Void,
        ahead: (UnsafePointer<ReadEvent>) -> Void = { _ in }
    ) throws {
        let channel = Channel()
        let work = Work(produce)
        let thread = Thread {
            var batch = Batch()
            do {
                try work.body { event in
                    batch.append(event)
                    if batch.isFull {
                        guard channel.put(batch) else { throw Stopped() }
                        batch = channel.emptyBatch()
                    }
                }
                if batch.count > 0 { _ = channel.put(batch) }
                channel.finish(nil)
            } catch is Stopped {
                channel.finish(nil)
            } catch {
                if batch.count > 0 { _ = channel.put(batch) }
                channel.finish(error)
            }
        }
        thread.stackSize = 8 << 20
        thread.start()
        do {
            while true {
                let (batch, failure) = channel.take()
                guard let batch else {
                    if let failure { throw failure }
                    return
                }
                let n = batch.count
                let events = batch.base
                for k in 0..<min(lookahead, n) { ahead(events + k) }
                for i in 0..<n {
                    if i + lookahead < n { ahead(events + i + lookahead) }
                    try handle(batch.take())
                }
                channel.recycle(batch)
            }
        } catch {
            channel.stop()
            channel.waitFinished()
            throw error
        }
    }
}
