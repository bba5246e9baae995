import Testing

@testable import AQImportCore

@Suite struct ProblemDetailsTests {
    @Test func parsesRFC9457() throws {
        let body = Array(
            #"{"type":"about:blank","title":"Unprocessable","status":422,"detail":"end_time before start_time","request_id":"r1"}"#
                .utf8)
        let problem = try #require(ProblemDetails.parse(body))
        #expect(problem.status == 422)
        #expect(problem.detail == "end_time before start_time")
        #expect(problem.requestID == "r1")
        #expect(ProblemDetails.summary(status: 422, body: body) == "end_time before start_time")
    }

    @Test func summaryFallsBackToTitleTextOrStatus() {
        #expect(ProblemDetails.summary(status: 400, body: Array(#"{"title":"Bad Request"}"#.utf8)) == "Bad Request")
        #expect(
            ProblemDetails.summary(status: 502, body: Array("<html>\nBad gateway\n</html>".utf8))
                == "<html> Bad gateway </html>")
        #expect(ProblemDetails.summary(status: 500, body: []) == "HTTP 500 with no detail")
    }

    @Test func countsCreatedRecords() {
        #expect(Sender.createdCount(Array(#"{"record_sources":[{"id":"a","data":{}},{"id":"b"}]}"#.utf8)) == 2)
        #expect(Sender.createdCount(Array(#"{"record_sources":[]}"#.utf8)) == 0)
        #expect(Sender.createdCount(Array("nope".utf8)) == nil)
    }
}
