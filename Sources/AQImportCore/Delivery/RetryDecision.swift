/// What to do with the answer (or the lack of one) to an attempt.
public enum RetryDecision: Sendable, Hashable {
    /// 2xx: the server took the records.
    case success
    /// Worth another try, after a backoff.
    case retry(RetryCause)
    /// 400 or 422: something in the body is refused; split the ids to find what.
    case bisect
    /// Any other 4xx: the request's ids are rejected as they are, with the server's detail.
    case rejectAll
    /// 401 or 403: the key is wrong or not allowed; nothing else will work either.
    case abortUnauthorized
    /// 404: the queue does not exist or the key cannot read it.
    case abortQueueNotFound
    /// An answer that no retry can fix and that says nothing about the ids (a redirect, 501, a TLS failure).
    case abortUnexpected
}
