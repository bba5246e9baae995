import Foundation

/// Maps `0..<count` on every core (`DispatchQueue.concurrentPerform`), results in index order: for
/// the planner's last steps, independent per group or per request, which otherwise run on one core
/// after reading has ended.
enum ParallelMap {
    static func map<Element>(count: Int, chunk: Int = 1, _ transform: (Int) -> Element) -> [Element] {
        let chunks = (count + chunk - 1) / chunk
        if chunks <= 1 { return (0..<count).map(transform) }
        var slots = [Element?](repeating: nil, count: count)
        slots.withUnsafeMutableBufferPointer { buffer in
            // Each chunk writes only its own slots.
            nonisolated(unsafe) let out = buffer
            withoutActuallyEscaping(transform) { transform in
                // `transform` only reads what it captured, and returns before this call does.
                nonisolated(unsafe) let work = transform
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    for i in (c * chunk)..<min(count, (c + 1) * chunk) { out[i] = work(i) }
                }
            }
        }
        return slots.map { $0! }
    }
}
