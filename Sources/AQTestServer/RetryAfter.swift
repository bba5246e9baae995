/// The `Retry-After` header put on injected 429 and 503 answers.
public enum RetryAfter: Sendable, Equatable {
    case none
    /// `Retry-After: N` (delta-seconds).
    case seconds(Int)
    /// `Retry-After: <IMF-fixdate>` N seconds from now.
    case httpDate(afterSeconds: Int)

    /// Parses `none`, `SECONDS`, `http-date` (1 s ahead) or `http-date:SECONDS`.
    public init?(argument: String) {
        let text = argument.lowercased()
        if text == "none" {
            self = .none
        } else if text == "http-date" {
            self = .httpDate(afterSeconds: 1)
        } else if text.hasPrefix("http-date:"), let seconds = Int(text.dropFirst(10)), seconds >= 0 {
            self = .httpDate(afterSeconds: seconds)
        } else if let seconds = Int(text), seconds >= 0 {
            self = .seconds(seconds)
        } else {
            return nil
        }
    }

    public var argument: String {
        switch self {
        case .none: return "none"
        case .seconds(let seconds): return String(seconds)
        case .httpDate(let seconds): return seconds == 1 ? "http-date" : "http-date:\(seconds)"
        }
    }

    /// The header value, or nil for `none`; `now` is seconds since the epoch.
    func headerValue(now: Int64) -> String? {
        switch self {
        case .none: return nil
        case .seconds(let seconds): return String(seconds)
        case .httpDate(let seconds): return HTTPDate.format(epochSeconds: now + Int64(seconds))
        }
    }
}
