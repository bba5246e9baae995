import Foundation
import Testing

@testable import AQImportCore

@Suite struct ConnectionSettingsTests {
    /// A home whose active ax profile is broken: an unquoted key, which TOML refuses.
    func brokenHome() throws -> String {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("home-\(UUID().uuidString)")
        let profiles = home.appendingPathComponent(".arize/profiles")
        try FileManager.default.createDirectory(at: profiles, withIntermediateDirectories: true)
        try "work".write(to: home.appendingPathComponent(".arize/.active_profile"), atomically: true, encoding: .utf8)
        try "[profile]\nname = \"work\"\n[auth]\nauth_method = \"api-key\"\napi_key = ak-SECRET-9f8e7d\n"
            .write(to: profiles.appendingPathComponent("work.toml"), atomically: true, encoding: .utf8)
        return home.path
    }

    @Test func flagsAndVariablesThatSayEverythingDoNotReadTheProfile() throws {
        let settings = try ConnectionSettings.resolve(
            endpointFlag: "http://127.0.0.1:9", apiKeyFile: nil, profileName: nil,
            environment: ["ARIZE_API_KEY": "test-key"], home: try brokenHome())
        #expect(settings.keySource == "the environment variable ARIZE_API_KEY")
        #expect(settings.endpointSource == "--endpoint")
    }

    @Test func aBrokenProfileThatIsNeededIsAnErrorThatShowsNoValue() throws {
        let home = try brokenHome()
        do {
            _ = try ConnectionSettings.resolve(
                endpointFlag: nil, apiKeyFile: nil, profileName: nil, environment: [:], home: home)
            Issue.record("a broken profile was accepted")
        } catch {
            let message = "\(error) \(error.localizedDescription)"
            #expect(message.contains("line 5"))
            #expect(!message.contains("SECRET"))
        }
    }
}
