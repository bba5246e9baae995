import Foundation
import Testing

@testable import AQImportCore

@Suite struct CredentialChainTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func profile(_ text: String) throws -> AxProfile {
        try AxProfileLoader.parse(
            text, name: "work", path: "/h/.arize/profiles/work.toml", displayPath: "~/.arize/profiles/work.toml",
            environment: [:])
    }

    @Test func fileThenEnvironmentThenProfile() throws {
        let profile = try Self.profile("[auth]\napi_key = \"ak-profile\"\n")
        let fromFile = try CredentialChain.resolve(
            apiKeyFile: "/keys/arize", environment: ["ARIZE_API_KEY": "ak-env"], profile: profile, now: Self.now,
            readFile: { _ in "ak-file\n" })
        #expect(fromFile.credential.secret == "ak-file")
        #expect(fromFile.source == "the file /keys/arize")

        let fromEnvironment = try CredentialChain.resolve(
            apiKeyFile: nil, environment: ["ARIZE_API_KEY": "ak-env"], profile: profile, now: Self.now)
        #expect(fromEnvironment.credential.secret == "ak-env")
        #expect(fromEnvironment.source == "the environment variable ARIZE_API_KEY")

        let fromProfile = try CredentialChain.resolve(
            apiKeyFile: nil, environment: [:], profile: profile, now: Self.now)
        #expect(fromProfile.credential.secret == "ak-profile")
        #expect(fromProfile.source == "profile work (~/.arize/profiles/work.toml)")
    }

    @Test func anExpiredProfileTokenDoesNotMatterWhenTheEnvironmentHasAKey() throws {
        let profile = try Self.profile(
            "[auth]\nauth_method = \"oauth\"\n[auth.oauth]\naccess_token = \"t\"\nexpires_at = 1000\n")
        let resolved = try CredentialChain.resolve(
            apiKeyFile: nil, environment: ["ARIZE_API_KEY": "ak-env"], profile: profile, now: Self.now)
        #expect(resolved.credential.secret == "ak-env")
        #expect(throws: ConfigurationError.oauthExpired(name: "work", expiredAt: "1970-01-01T00:16:40Z")) {
            try CredentialChain.resolve(apiKeyFile: nil, environment: [:], profile: profile, now: Self.now)
        }
    }

    @Test func nothingAnywhereIsAnError() throws {
        #expect(throws: ConfigurationError.noAPIKey) {
            try CredentialChain.resolve(apiKeyFile: nil, environment: [:], profile: nil, now: Self.now)
        }
        let empty = try Self.profile("[profile]\nname = \"work\"\n")
        #expect(throws: ConfigurationError.noAPIKey) {
            try CredentialChain.resolve(apiKeyFile: nil, environment: [:], profile: empty, now: Self.now)
        }
    }

    @Test func aMalformedProfileKeyIsRefusedWithoutShowingIt() throws {
        let profile = try Self.profile("[auth]\napi_key = \"ak with spaces\"\n")
        #expect {
            try CredentialChain.resolve(apiKeyFile: nil, environment: [:], profile: profile, now: Self.now)
        } throws: { error in
            let message = (error as? ConfigurationError)?.errorDescription ?? ""
            return message.contains("api_key contains spaces") && !message.contains("ak with spaces")
        }
    }
}
