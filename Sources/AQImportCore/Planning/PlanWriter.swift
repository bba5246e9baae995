import Foundation

/// Writes a plan as NDJSON, one request a line, exactly as it would be sent:
/// `{"request_id":"<hex>","path":"/v2/annotation-queues/<queue>/records","body":{...}}`.
public struct PlanWriter: Sendable {
    public let queueID: String

    public init(queueID: String) {
        self.queueID = queueID
    }

    /// One line, newline included.
    public func line(for request: PlannedRequest) -> [UInt8] {
        var out: [UInt8] = []
        let body = request.body
        out.reserveCapacity(body.count + 128)
        out.append(contentsOf: #"{"request_id":"#.utf8)
        RequestBody.appendJSONString(request.id.hex, to: &out)
        out.append(contentsOf: #","path":"#.utf8)
        RequestBody.appendJSONString(APIPath.records(queueID: queueID), to: &out)
        out.append(contentsOf: #","body":"#.utf8)
        out.append(contentsOf: body)
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    /// Hands the lines to `sink` in chunks of about a megabyte.
    public func write(_ plan: Plan, to sink: ([UInt8]) throws -> Void) rethrows {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        for request in plan.requests {
            buffer.append(contentsOf: line(for: request))
            if buffer.count >= 1 << 20 {
                try sink(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if !buffer.isEmpty { try sink(buffer) }
    }

    /// Writes the plan to a file, replacing it once complete (`-`: standard output).
    public func write(_ plan: Plan, toFile path: String) throws(FileWriterError) {
        let writer = try FileWriter(path: path, allowStandardOutput: true)
        do {
            try write(plan) { try writer.write($0) }
        } catch let error as FileWriterError {
            throw error
        } catch {
            throw FileWriterError(path: path, reason: "\(error)")
        }
        try writer.close()
    }
}
