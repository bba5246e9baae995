import Testing

@testable import AQImportCore

@Suite struct VariableExpanderTests {
    @Test func expandsSetVariablesAndDefaults() throws {
        let environment = ["KEY": "secret", "EMPTY": ""]
        #expect(try VariableExpander.expand("${KEY}", environment: environment) == "secret")
        #expect(try VariableExpander.expand("a-${KEY}-b", environment: environment) == "a-secret-b")
        #expect(try VariableExpander.expand("${MISSING:fallback}", environment: environment) == "fallback")
        #expect(try VariableExpander.expand("${MISSING:}", environment: environment) == "")
        #expect(try VariableExpander.expand("${EMPTY:fallback}", environment: environment) == "")
        #expect(try VariableExpander.expand("${KEY:fallback}", environment: environment) == "secret")
        #expect(try VariableExpander.expand("no $refs here ${", environment: environment) == "no $refs here ${")
    }

    @Test func unsetWithoutDefaultIsAnError() {
        #expect(throws: VariableExpander.Failure.unset("NOPE")) {
            try VariableExpander.expand("x${NOPE}", environment: [:])
        }
    }
}
