import Testing

@testable import AQImportCore

@Suite struct RetryPolicyTests {
    @Test(arguments: [408, 425, 429, 500, 502, 503, 504])
    func retriesTransientStatuses(status: Int) {
        #expect(RetryPolicy.decide(status: status) == .retry(.status(status)))
    }

    @Test func classifiesOtherStatuses() {
        #expect(RetryPolicy.decide(status: 200) == .success)
        #expect(RetryPolicy.decide(status: 201) == .success)
        #expect(RetryPolicy.decide(status: 400) == .bisect)
        #expect(RetryPolicy.decide(status: 422) == .bisect)
        #expect(RetryPolicy.decide(status: 401) == .abortUnauthorized)
        #expect(RetryPolicy.decide(status: 403) == .abortUnauthorized)
        #expect(RetryPolicy.decide(status: 404) == .abortQueueNotFound)
        #expect(RetryPolicy.decide(status: 409) == .rejectAll)
        #expect(RetryPolicy.decide(status: 413) == .bisect)
        #expect(RetryPolicy.decide(status: 405) == .abortUnexpected)
        #expect(RetryPolicy.decide(status: 407) == .abortUnexpected)
        #expect(RetryPolicy.decide(status: 415) == .abortUnexpected)
        #expect(RetryPolicy.decide(status: 301) == .abortUnexpected)
        #expect(RetryPolicy.decide(status: 501) == .abortUnexpected)
    }

    @Test func classifiesTransportErrors() {
        for error in [
            TransportError.connectionFailed("x"), .connectionReset("x"), .timedOut("x"), .noResponse("x"),
        ] {
            #expect(RetryPolicy.decide(error: error) == .retry(.transport(error)))
        }
        #expect(RetryPolicy.decide(error: .tlsFailure("x")) == .abortUnexpected)
        #expect(RetryPolicy.decide(error: .invalidRequest("x")) == .abortUnexpected)
    }

    @Test func retryAfterWinsOverBackoffAndIsCapped() {
        var random = SplitMix64(seed: 1)
        let now = Timestamp(secondsSinceEpoch: 1_000)
        let shortWait = RetryPolicy.delay(
            failedAttempt: 5, retryAfter: "3", now: now, baseBackoff: .milliseconds(500), maxBackoff: .seconds(60),
            using: &random)
        #expect(shortWait == .seconds(3))
        let longWait = RetryPolicy.delay(
            failedAttempt: 1, retryAfter: "3600", now: now, baseBackoff: .milliseconds(500), maxBackoff: .seconds(60),
            using: &random)
        #expect(longWait == .seconds(60))
    }

    @Test func unreadableRetryAfterFallsBackToBackoff() {
        var random = SplitMix64(seed: 7)
        var same = SplitMix64(seed: 7)
        let wait = RetryPolicy.delay(
            failedAttempt: 2, retryAfter: "soon", now: Timestamp(secondsSinceEpoch: 0), baseBackoff: .milliseconds(500),
            maxBackoff: .seconds(60), using: &random)
        #expect(wait == Backoff.delay(failedAttempt: 2, using: &same))
    }
}
