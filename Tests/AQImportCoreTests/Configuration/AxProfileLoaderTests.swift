import Foundation
import Testing

@testable import AQImportCore

@Suite struct AxProfileLoaderTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z

    static func parse(_ text: String, environment: [String: String] = [:]) throws -> AxProfile {
        try AxProfileLoader.parse(
            text, name: "work", path: "/home/u/.arize/profiles/work.toml",
            displayPath: "~/.arize/profiles/work.toml", environment: environment)
    }

    @Test func readsTheActiveProfile() throws {
        let home = try ProfileHome()
        try home.write(
            profile: "work",
            """
            [profile]
            name = "work"

            [auth]
            auth_method = "api-key"
            api_key = "ak-active-123"
            """)
        try home.activate("work")
        let loader = AxProfileLoader(home: home.path, environment: [:])
        let profile = try #require(try loader.load(profile: nil))
        #expect(profile.name == "work")
        #expect(profile.displayPath == "~/.arize/profiles/work.toml")
        #expect(profile.sourceDescription == "profile work (~/.arize/profiles/work.toml)")
        let credential = try #require(try profile.credential(now: Self.now))
        #expect(credential.secret == "ak-active-123")
        #expect(profile.endpoint == Endpoint())
        #expect(!profile.setsEndpoint)
        #expect(profile.requestVerify)
    }

    @Test func profileFlagPicksAnotherProfile() throws {
        let home = try ProfileHome()
        try home.write(profile: "work", "[auth]\napi_key = \"ak-work\"\n")
        try home.write(profile: "staging", "[auth]\napi_key = \"ak-staging\"\n")
        try home.activate("work")
        let profile = try #require(try AxProfileLoader(home: home.path, environment: [:]).load(profile: "staging"))
        #expect(try profile.credential(now: Self.now)?.secret == "ak-staging")
    }

    @Test func noActiveProfileMeansNoProfile() throws {
        let home = try ProfileHome()
        try home.write(profile: "work", "[auth]\napi_key = \"ak\"\n")
        #expect(try AxProfileLoader(home: home.path, environment: [:]).load(profile: nil) == nil)
        #expect(try AxProfileLoader(home: home.path + "/nowhere", environment: [:]).load(profile: nil) == nil)
        #expect(try AxProfileLoader(home: home.path, environment: [:]).load(profile: "") == nil)
    }

    @Test func missingProfileListsTheAvailableOnes() throws {
        let home = try ProfileHome()
        try home.write(profile: "work", "[auth]\napi_key = \"ak\"\n")
        try home.write(profile: "dev", "[auth]\napi_key = \"ak\"\n")
        let loader = AxProfileLoader(home: home.path, environment: [:])
        #expect(
            throws: ConfigurationError.profileNotFound(
                name: "prod", path: "~/.arize/profiles/prod.toml", available: ["dev", "work"])
        ) {
            try loader.load(profile: "prod")
        }
        try home.activate("gone")
        #expect(throws: ConfigurationError.self) { try loader.load(profile: nil) }
    }

    @Test func invalidTOMLNamesFileAndLine() throws {
        let home = try ProfileHome()
        try home.write(profile: "work", "[auth]\napi_key = \"unterminated\n")
        #expect(
            throws: ConfigurationError.invalidTOML(
                path: "~/.arize/profiles/work.toml",
                TOMLError(line: 2, message: "a basic string ends at the end of its line; close it with \""))
        ) {
            try AxProfileLoader(home: home.path, environment: [:]).load(profile: "work")
        }
    }

    @Test func expandsEnvironmentReferences() throws {
        let profile = try Self.parse(
            """
            [auth]
            api_key = "${MY_ARIZE_KEY}"
            [routing]
            api_host = "${ARIZE_HOST:api.example.test}"
            """,
            environment: ["MY_ARIZE_KEY": "ak-from-env"])
        #expect(try profile.credential(now: Self.now)?.secret == "ak-from-env")
        #expect(profile.endpoint.host == "api.example.test")
        #expect(
            throws: ConfigurationError.unsetVariable(
                name: "work", path: "~/.arize/profiles/work.toml", variable: "MY_ARIZE_KEY")
        ) {
            try Self.parse("[auth]\napi_key = \"${MY_ARIZE_KEY}\"\n")
        }
    }

    @Test(arguments: [
        "2027-01-15T09:00:00+00:00",  // TOML date-time, as ax writes it after a refresh
        "\"2027-01-15T09:00:00Z\"",  // ISO string
        "\"2027-01-15 10:00:00+01:00\"",  // other offset
        "1800003600",  // epoch seconds
        "1800003600000",  // epoch milliseconds
        "1800003600.5",
    ])
    func oauthTokenUsedWhileUnexpired(expiresAt: String) throws {
        let profile = try Self.parse(
            """
            [auth]
            auth_method = "oauth"
            [auth.oauth]
            access_token = "eyJ-access"
            refresh_token = "eyJ-refresh"
            expires_at = \(expiresAt)
            user_email = "a@example.com"
            """)
        #expect(try profile.credential(now: Self.now)?.secret == "eyJ-access")
        // An hour later (and within ax's 60-second refresh window) the token no longer counts.
        #expect(throws: ConfigurationError.oauthExpired(name: "work", expiredAt: "2027-01-15T09:00:00Z")) {
            try profile.credential(now: Self.now.addingTimeInterval(3600))
        }
        #expect(throws: ConfigurationError.self) { try profile.credential(now: Self.now.addingTimeInterval(3550)) }
    }

    @Test func expiredMessageSaysToLogInWithAx() {
        let message =
            ConfigurationError.oauthExpired(name: "work", expiredAt: "2027-01-15T09:00:00Z")
            .errorDescription ?? ""
        #expect(message.contains("ax auth login --profile work"))
        #expect(message.contains("expired at 2027-01-15T09:00:00Z"))
    }

    @Test func loggedOutOAuthProfile() throws {
        let profile = try Self.parse("[auth]\nauth_method = \"oauth\"\n")
        #expect(throws: ConfigurationError.oauthLoggedOut(name: "work")) { try profile.credential(now: Self.now) }
        #expect(profile.hasCredential == false)
    }

    @Test func profileWithoutAuthHasNoCredential() throws {
        let profile = try Self.parse("[profile]\nname = \"work\"\n")
        #expect(try profile.credential(now: Self.now) == nil)
    }

    @Test func unknownAuthMethodIsRefused() {
        #expect(throws: ConfigurationError.self) { try Self.parse("[auth]\nauth_method = \"saml\"\n") }
        #expect(throws: ConfigurationError.self) { try Self.parse("[auth]\nauth_method = \"api-key\"\n") }
    }

    @Test(arguments: [
        ("US", "us-east-1b"), ("us", "us-east-1b"), ("CA", "ca-central-1a"), ("EU", "eu-west-1a"),
        ("us-central-1a", "us-central-1a"), ("EU-WEST-1A", "eu-west-1a"),
    ])
    func regionAliasesAndZones(region: String, zone: String) throws {
        let profile = try Self.parse("[routing]\nregion = \"\(region)\"\n")
        #expect(profile.region == zone)
        #expect(profile.endpoint == Endpoint(host: "api.\(zone).arize.com"))
        #expect(profile.setsEndpoint)
    }

    @Test func unknownRegionIsRefused() {
        #expect(throws: ConfigurationError.self) { try Self.parse("[routing]\nregion = \"mars\"\n") }
    }

    @Test(arguments: [
        "region = \"US\"\nsingle_host = \"aq.internal\"",
        "region = \"US\"\nbase_domain = \"corp.example\"",
        "single_port = \"8443\"\nbase_domain = \"corp.example\"",
    ])
    func routingOptionsAreMutuallyExclusive(routing: String) {
        #expect {
            try Self.parse("[routing]\n\(routing)\n")
        } throws: { error in
            (error as? ConfigurationError)?.errorDescription?.contains("only one of region") == true
        }
    }

    @Test func emptyRoutingValuesCountAsUnset() throws {
        let profile = try Self.parse("[routing]\nregion = \"\"\nsingle_host = \"aq.internal\"\n")
        #expect(profile.endpoint.host == "aq.internal")
    }

    @Test func singleHostAndPort() throws {
        let profile = try Self.parse(
            "[routing]\nsingle_host = \"ArizeOnPrem.corp\"\nsingle_port = \"8443\"\napi_scheme = \"http\"\n")
        #expect(profile.endpoint == Endpoint(scheme: "http", host: "arizeonprem.corp", port: 8443))
        let numeric = try Self.parse("[routing]\nsingle_host = \"h\"\nsingle_port = 9000\n")
        #expect(numeric.endpoint.port == 9000)
    }

    @Test func baseDomainAndApiHost() throws {
        #expect(try Self.parse("[routing]\nbase_domain = \"pc.example\"\n").endpoint.host == "api.pc.example")
        let custom = try Self.parse("[routing]\napi_host = \"localhost:8080\"\napi_scheme = \"http\"\n")
        #expect(custom.endpoint == Endpoint(scheme: "http", host: "localhost", port: 8080))
        #expect(throws: ConfigurationError.self) { try Self.parse("[routing]\napi_scheme = \"ftp\"\n") }
    }

    @Test(arguments: [
        ("request_verify = false", false), ("request_verify = \"false\"", false), ("request_verify = \"no\"", false),
        ("request_verify = true", true), ("request_verify = \"Yes\"", true), ("", true),
    ])
    func requestVerify(line: String, expected: Bool) throws {
        #expect(try Self.parse("[security]\n\(line)\n").requestVerify == expected)
    }

    @Test func descriptionsNeverShowSecrets() throws {
        let key = "ak-DISTINCTIVE-4242"
        let profile = try Self.parse("[auth]\napi_key = \"\(key)\"\n")
        let shown = [
            profile.description, profile.debugDescription, String(describing: profile), String(reflecting: profile),
            "\(profile)",
        ]
        var dumped = ""
        dump(profile, to: &dumped)
        for text in shown + [dumped] {
            #expect(!text.contains(key))
        }
    }
}
