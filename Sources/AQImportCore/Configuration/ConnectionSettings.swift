import Foundation

/// Where to send and with which key, worked out the way Arize users keep them: flags first, then the
/// environment (`ARIZE_API_KEY`, `ARIZE_REGION`, ...), then the active profile of the `ax` CLI.
public struct ConnectionSettings: Sendable {
    public var endpoint: Endpoint
    public var endpointSource: String
    public var credential: APICredential
    /// Where the key came from, in words (never the key).
    public var keySource: String
    public var requestVerify: Bool
    public var proxy: ProxyConfiguration.Proxy?
    public var caCertificateFile: String?

    public static func resolve(
        endpointFlag: String?, apiKeyFile: String?, profileName: String?, environment: [String: String],
        home: String
    ) throws -> ConnectionSettings {
        // The profile is read only when something is left to take from it (or it is named), so that a
        // broken profile does not stand in the way of flags and variables that say everything.
        func isSet(_ name: String) -> Bool { !(environment[name]?.isEmpty ?? true) }
        let keyGiven = apiKeyFile != nil || environment["ARIZE_API_KEY"] != nil
        let endpointGiven = endpointFlag != nil || EndpointChain.environmentVariables.contains(where: isSet)
        let profile =
            keyGiven && endpointGiven && profileName == nil
            ? nil : try AxProfileLoader(home: home, environment: environment).load(profile: profileName)
        let endpoint = try EndpointChain.resolve(endpointFlag: endpointFlag, environment: environment, profile: profile)
        let key = try CredentialChain.resolve(apiKeyFile: apiKeyFile, environment: environment, profile: profile)
        let proxies = try ProxyConfiguration.resolve(environment: environment)
        return ConnectionSettings(
            endpoint: endpoint.endpoint, endpointSource: endpoint.source, credential: key.credential,
            keySource: key.source, requestVerify: endpoint.requestVerify, proxy: proxies.proxy(for: endpoint.endpoint),
            caCertificateFile: environment["ARIZE_SSL_CA_CERT"].flatMap { $0.isEmpty ? nil : $0 })
    }
}
