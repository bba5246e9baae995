/// Added latency per request: uniformly distributed in `mean ± jitter` milliseconds (never below zero).
public struct Latency: Sendable, Equatable {
    public var meanMilliseconds: Int
    public var jitterMilliseconds: Int

    public init(meanMilliseconds: Int, jitterMilliseconds: Int = 0) {
        self.meanMilliseconds = meanMilliseconds
        self.jitterMilliseconds = jitterMilliseconds
    }

    /// Parses `MEAN` or `MEAN,JITTER` (milliseconds).
    public init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let mean = Int(parts[0].trimmingSpaces), mean >= 0 else { return nil }
        var jitter = 0
        if parts.count == 2 {
            guard let value = Int(parts[1].trimmingSpaces), value >= 0 else { return nil }
            jitter = value
        }
        self.init(meanMilliseconds: mean, jitterMilliseconds: jitter)
    }

    public var argument: String { "\(meanMilliseconds),\(jitterMilliseconds)" }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
