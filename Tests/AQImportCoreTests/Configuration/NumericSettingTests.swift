import Testing

@testable import AQImportCore

@Suite struct NumericSettingTests {
    @Test func valuesThatCrashedAConversionAreRefusedNamingTheFlag() {
        let cases: [(NumericSetting, Double, String)] = [
            (.maxBackoff, .infinity, "--max-backoff takes 0 to 86400 seconds, not inf"),
            (.maxBackoff, 1e300, "--max-backoff takes 0 to 86400 seconds, not 1e+300"),
            (.timeout, .infinity, "--timeout takes 0.001 to 86400 seconds, not inf"),
            (.timeout, 1e300, "--timeout takes 0.001 to 86400 seconds, not 1e+300"),
            (.timeout, 0, "--timeout takes 0.001 to 86400 seconds, not 0"),
            (.rate, 1e-300, "--rate takes 0.001 to 100000 requests a second, not 1e-300"),
            (.rate, .nan, "--rate takes 0.001 to 100000 requests a second, not nan"),
            (.rate, -2, "--rate takes 0.001 to 100000 requests a second, not -2"),
        ]
        for (setting, value, message) in cases {
            let error = #expect(throws: ConfigurationError.self) { try setting.check(value) }
            #expect(error?.errorDescription == message)
        }
    }

    @Test func integersToo() {
        let error = #expect(throws: ConfigurationError.self) { try NumericSetting.concurrency.check(-1) }
        #expect(error?.errorDescription == "--concurrency takes 1 to 256 requests in flight, not -1")
        #expect(throws: ConfigurationError.self) { try NumericSetting.concurrency.check(257) }
        #expect(throws: ConfigurationError.self) { try NumericSetting.maxAttempts.check(0) }
        #expect(throws: ConfigurationError.self) { try NumericSetting.maxAttempts.check(Int.max) }
    }

    @Test func selectionSizesAndTheSeed() throws {
        for text in ["-5", "0", "1000000000001", "0%", "-1%", "101%", "nan%", "x"] {
            let error = #expect(throws: ConfigurationError.self) { try NumericSetting.sample(text) }
            #expect(
                error?.errorDescription
                    == "--sample takes 1 to 1000000000000 records (or units), or P% above 0 up to 100, not \(text)")
        }
        #expect(try NumericSetting.sample("1") == .count(1))
        #expect(try NumericSetting.sample("100%") == .percent(100))
        let stratum = #expect(throws: ConfigurationError.self) { try NumericSetting.perStratum.check(-1) }
        #expect(
            stratum?.errorDescription == "--per-stratum takes 1 to 1000000000000 records (or units) a stratum, not -1")
        for text in ["-1", "18446744073709551616", "1.5"] {
            let error = #expect(throws: ConfigurationError.self) { try NumericSetting.seed(text) }
            #expect(
                error?.errorDescription == "--seed takes a whole number from 0 to 18446744073709551615, not \(text)")
        }
        #expect(try NumericSetting.seed("18446744073709551615") == .max)
    }

    @Test func theEdgesAndTheDefaultsAreAccepted() throws {
        try NumericSetting.maxBackoff.check(0)
        try NumericSetting.maxBackoff.check(86_400)
        try NumericSetting.timeout.check(60)
        try NumericSetting.rate.check(0.001)
        try NumericSetting.rate.check(100_000)
        try NumericSetting.concurrency.check(1)
        try NumericSetting.concurrency.check(256)
        try NumericSetting.maxAttempts.check(8)
    }

    /// Every value a checked flag accepts converts as DeliveryOptions converts it, without a trap.
    @Test func theLargestAcceptedValuesConvert() {
        let backoff = Duration.milliseconds(Int(NumericSetting.maxBackoff.range.upperBound * 1000))
        #expect(backoff == .seconds(86_400))
        let slowest = RateLimiter(rate: NumericSetting.rate.range.lowerBound, clock: TestClock(autoAdvance: false))
        _ = slowest.reserve()
        #expect(slowest.reserve() == .seconds(1000))
    }
}
