/// Which failures are retried and how long to wait before the next attempt. Pure functions: the time,
/// the random source and the limits are parameters.
public enum RetryPolicy {
    public static let retryableStatuses: Set<Int> = [408, 425, 429, 500, 502, 503, 504]

    public static func decide(status: Int) -> RetryDecision {
        switch status {
        case 200..<300: .success
        case _ where retryableStatuses.contains(status): .retry(.status(status))
        // 413: too large for the server, whatever the API's limits say: halves will fit.
        case 400, 413, 422: .bisect
        case 401, 403: .abortUnauthorized
        case 404: .abortQueueNotFound
        // A proxy that wants credentials, or a method or media type refused: nothing in the ids is at
        // fault, so none is rejected; the run stops and can be resumed once the setup is fixed.
        case 405, 407, 415: .abortUnexpected
        case 400..<500: .rejectAll
        default: .abortUnexpected
        }
    }

    public static func decide(error: TransportError) -> RetryDecision {
        switch error {
        case .connectionFailed, .connectionReset, .timedOut, .noResponse: .retry(.transport(error))
        case .tlsFailure, .invalidRequest: .abortUnexpected
        }
    }

    /// The wait before attempt `failedAttempt + 1`: the server's `Retry-After` when it sent a readable
    /// one, else exponential backoff with full jitter; either way at most `maxBackoff`.
    public static func delay(
        failedAttempt: Int, retryAfter: String?, now: Timestamp, baseBackoff: Duration, maxBackoff: Duration,
        using random: inout some RandomNumberGenerator
    ) -> Duration {
        if let retryAfter, let wait = RetryAfter.parse(retryAfter, now: now) {
            return min(wait, maxBackoff)
        }
        return Backoff.delay(failedAttempt: failedAttempt, base: baseBackoff, cap: maxBackoff, using: &random)
    }
}
