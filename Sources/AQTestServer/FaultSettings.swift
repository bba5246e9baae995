/// Everything about misbehaviour that can change while the double runs (`POST /_control/faults`).
public struct FaultSettings: Sendable, Equatable {
    /// Probability per request of each fault; they are exclusive and must add up to at most 1.
    public var probabilities: [FaultKind: Double]
    /// Retry-After on injected 429 and 503 answers (rate-limit and max-concurrent 429s always carry one).
    public var retryAfter: RetryAfter
    public var latency: Latency?
    /// Requests per second through a token bucket holding at most N tokens; nil is unlimited.
    public var rateLimit: Int?
    /// Requests in flight beyond this are answered 429; nil is unlimited.
    public var maxConcurrent: Int?

    public init(
        probabilities: [FaultKind: Double] = [:],
        retryAfter: RetryAfter = .seconds(1),
        latency: Latency? = nil,
        rateLimit: Int? = nil,
        maxConcurrent: Int? = nil
    ) {
        self.probabilities = probabilities
        self.retryAfter = retryAfter
        self.latency = latency
        self.rateLimit = rateLimit
        self.maxConcurrent = maxConcurrent
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Parses `429=0.2,500=0.05,503=0.05,reset=0.05,lost-ack=0.05`; `""` or `none` is no faults.
    public static func parseProbabilities(_ text: String) throws(ParseError) -> [FaultKind: Double] {
        var result: [FaultKind: Double] = [:]
        let trimmed = Substring(text).trimmingSpaces
        if trimmed.isEmpty || trimmed == "none" { return result }
        for part in trimmed.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { throw ParseError(description: "fault '\(part)' is not KIND=PROBABILITY") }
            guard let kind = FaultKind(rawValue: String(pair[0].trimmingSpaces)) else {
                let kinds = FaultKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw ParseError(description: "unknown fault kind '\(pair[0])' (known: \(kinds))")
            }
            guard let probability = Double(pair[1].trimmingSpaces), (0...1).contains(probability) else {
                throw ParseError(description: "fault \(kind.rawValue): probability '\(pair[1])' is not in 0...1")
            }
            result[kind] = probability
        }
        let total = result.values.reduce(0, +)
        guard total <= 1.000_000_1 else {
            throw ParseError(description: "fault probabilities add up to \(total), more than 1")
        }
        return result
    }

    /// The `--fault` spelling of `probabilities`, kinds in a fixed order.
    public var faultArgument: String {
        FaultKind.allCases.compactMap { kind in probabilities[kind].map { "\(kind.rawValue)=\($0)" } }
            .joined(separator: ",")
    }

    /// Picks the fault for a uniform draw in 0..<1, walking the kinds in a fixed order.
    func fault(forDraw draw: Double) -> FaultKind? {
        var cumulative = 0.0
        for kind in FaultKind.allCases {
            guard let probability = probabilities[kind], probability > 0 else { continue }
            cumulative += probability
            if draw < cumulative { return kind }
        }
        return nil
    }
}
