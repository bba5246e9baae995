import Testing

@testable import AQImportCore

@Suite struct RetryAfterTests {
    // 1994-11-06T08:49:37Z
    let date = Timestamp(secondsSinceEpoch: 784_111_777)

    @Test func deltaSeconds() {
        #expect(RetryAfter.parse("120", now: date) == .seconds(120))
        #expect(RetryAfter.parse(" 0 ", now: date) == .zero)
    }

    @Test(arguments: ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"])
    func httpDateForms(text: String) {
        #expect(RetryAfter.parseHTTPDate(text) == date)
    }

    @Test func httpDateIsRelativeToNow() {
        let now = Timestamp(secondsSinceEpoch: 784_111_777 - 30)
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", now: now) == .seconds(30))
        let later = Timestamp(secondsSinceEpoch: 784_111_777 + 30)
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", now: later) == .zero)
    }

    @Test(arguments: ["", "soon", "-5", "1.5", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT"])
    func unreadable(text: String) {
        #expect(RetryAfter.parse(text, now: date) == nil)
    }
}
