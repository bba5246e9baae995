import Testing

@testable import AQImportCore

@Suite struct RejectLimitTests {
    @Test(arguments: [
        ("250", RejectLimit.count(250)), ("2.5%", .percent(2.5)), ("0", .count(0)), ("100%", .percent(100)),
    ])
    func parses(text: String, expected: RejectLimit) {
        #expect(RejectLimit(text) == expected)
    }

    @Test(arguments: ["", "-1", "lots", "101%", "%", "1.5"])
    func refuses(text: String) {
        #expect(RejectLimit(text) == nil)
    }

    @Test func aCountIsPassedOnlyAboveIt() {
        #expect(!RejectLimit.count(2).isExceeded(rejected: 2, rows: 3))
        #expect(RejectLimit.count(2).isExceeded(rejected: 3, rows: 3))
    }

    @Test func aPercentageWaitsForAHundredRowsUnlessEveryRowIsRead() {
        let limit = RejectLimit.percent(10)
        #expect(!limit.isExceeded(rejected: 1, rows: 1))
        #expect(limit.isExceeded(rejected: 1, rows: 1, final: true))
        #expect(!limit.isExceeded(rejected: 10, rows: 100))
        #expect(limit.isExceeded(rejected: 11, rows: 100))
        #expect(!limit.isExceeded(rejected: 0, rows: 0, final: true))
    }
}
