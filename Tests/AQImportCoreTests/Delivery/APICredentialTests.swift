import Testing

@testable import AQImportCore

@Suite struct APICredentialTests {
    let key = "ak-SECRET-0123456789"

    @Test func fromEnvironment() throws {
        let credential = try APICredential.resolve(apiKeyFile: nil, environment: ["ARIZE_API_KEY": " \(key)\n"])
        #expect(credential.secret == key)
        #expect(credential.source == .environment(variable: "ARIZE_API_KEY"))
        #expect(credential.authorization == "Bearer \(key)")
    }

    @Test func fileBeatsEnvironment() throws {
        let credential = try APICredential.resolve(
            apiKeyFile: "/keys/arize", environment: ["ARIZE_API_KEY": "other"],
            readFile: { path in
                #expect(path == "/keys/arize")
                return key + "\n"
            })
        #expect(credential.secret == key)
        #expect(credential.source == .file(path: "/keys/arize"))
        #expect("\(credential.source)" == "the file /keys/arize")
    }

    @Test func missingEmptyOrMalformed() {
        #expect(throws: CredentialError.missing) { try APICredential.resolve(apiKeyFile: nil, environment: [:]) }
        #expect(throws: CredentialError.empty(.environment(variable: "ARIZE_API_KEY"))) {
            try APICredential.resolve(apiKeyFile: nil, environment: ["ARIZE_API_KEY": "  \n"])
        }
        #expect(throws: CredentialError.malformed(.environment(variable: "ARIZE_API_KEY"))) {
            try APICredential.resolve(apiKeyFile: nil, environment: ["ARIZE_API_KEY": "a\r\nX-Evil: 1"])
        }
        #expect(throws: CredentialError.self) {
            try APICredential.resolve(
                apiKeyFile: "/nope", environment: [:], readFile: { _ in throw CancellationError() })
        }
    }

    @Test func neverShowsTheKey() {
        let credential = APICredential(key: key, source: .environment(variable: "ARIZE_API_KEY"))
        var dumped = ""
        dump(credential, to: &dumped)
        for text in ["\(credential)", String(describing: credential), String(reflecting: credential), dumped] {
            #expect(!text.contains("SECRET"))
        }
        #expect("\(credential)".contains("ARIZE_API_KEY"))
        let request = HTTPRequest(
            method: "POST", url: "https://x", headers: [("Authorization", credential.authorization)])
        #expect(!request.description.contains("SECRET"))
    }
}
