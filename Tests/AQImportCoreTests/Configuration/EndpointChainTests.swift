import Testing

@testable import AQImportCore

@Suite struct EndpointChainTests {
    static func profile(_ text: String) throws -> AxProfile {
        try AxProfileLoader.parse(
            text, name: "work", path: "/h/.arize/profiles/work.toml", displayPath: "~/.arize/profiles/work.toml",
            environment: [:])
    }

    @Test func flagThenEnvironmentThenProfileThenDefault() throws {
        let profile = try Self.profile("[routing]\nregion = \"EU\"\n[security]\nrequest_verify = false\n")

        let flag = try EndpointChain.resolve(
            endpointFlag: "http://127.0.0.1:9000", environment: ["ARIZE_REGION": "ca-central-1a"], profile: profile)
        #expect(flag.endpoint == Endpoint(scheme: "http", host: "127.0.0.1", port: 9000))
        #expect(flag.source == "--endpoint")

        let environment = try EndpointChain.resolve(
            endpointFlag: nil, environment: ["ARIZE_REGION": "ca-central-1a"], profile: profile)
        #expect(environment.endpoint.host == "api.ca-central-1a.arize.com")
        #expect(environment.source == "the environment (ARIZE_REGION)")

        let fromProfile = try EndpointChain.resolve(endpointFlag: nil, environment: [:], profile: profile)
        #expect(fromProfile.endpoint.host == "api.eu-west-1a.arize.com")
        #expect(fromProfile.source == "profile work (~/.arize/profiles/work.toml)")
        #expect(!fromProfile.requestVerify)

        let fallback = try EndpointChain.resolve(endpointFlag: nil, environment: [:], profile: nil)
        #expect(fallback.endpoint == Endpoint())
        #expect(fallback.source == "the default")
        #expect(fallback.requestVerify)
    }

    @Test func aProfileWithoutRoutingLeavesTheDefault() throws {
        let profile = try Self.profile("[auth]\napi_key = \"k\"\n")
        let resolved = try EndpointChain.resolve(endpointFlag: nil, environment: [:], profile: profile)
        #expect(resolved.source == "the default")
    }

    @Test func environmentRequestVerifyOverridesTheProfile() throws {
        let profile = try Self.profile("[security]\nrequest_verify = false\n")
        let resolved = try EndpointChain.resolve(
            endpointFlag: nil, environment: ["ARIZE_REQUEST_VERIFY": "true"], profile: profile)
        #expect(resolved.requestVerify)
    }
}
