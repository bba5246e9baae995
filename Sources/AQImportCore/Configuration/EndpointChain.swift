/// The endpoint and TLS verification by precedence: `--endpoint`, then the SDK's variables
/// (`ARIZE_REGION`, `ARIZE_API_HOST`, `ARIZE_API_SCHEME`, `ARIZE_API_PORT`), then the `ax` profile's
/// `[routing]`, then `https://api.arize.com`. A layer is taken whole: when any of the variables is set,
/// the profile's routing is not consulted, so that a host and a region never mix across layers.
public enum EndpointChain {
    public static let environmentVariables = ["ARIZE_REGION", "ARIZE_API_HOST", "ARIZE_API_SCHEME", "ARIZE_API_PORT"]

    public struct Resolved: Sendable, Hashable {
        public var endpoint: Endpoint
        /// `--endpoint`, `the environment (ARIZE_REGION)`, `profile work (~/...)` or `the default`.
        public var source: String
        /// Whether TLS certificates are verified: `ARIZE_REQUEST_VERIFY`, else the profile's
        /// `request_verify`, else true.
        public var requestVerify: Bool
    }

    public static func resolve(endpointFlag: String?, environment: [String: String], profile: AxProfile?)
        throws(EndpointError) -> Resolved
    {
        let verify: Bool
        if let text = environment["ARIZE_REQUEST_VERIFY"], !text.trimmingCharacters(in: .whitespaces).isEmpty {
            verify = AxProfileLoader.truthy(text)
        } else {
            verify = profile?.requestVerify ?? true
        }
        if endpointFlag != nil {
            let endpoint = try Endpoint.resolve(endpointFlag: endpointFlag, environment: environment)
            return Resolved(endpoint: endpoint, source: "--endpoint", requestVerify: verify)
        }
        let set = environmentVariables.filter {
            !(environment[$0]?.trimmingCharacters(in: .whitespaces).isEmpty ?? true)
        }
        if !set.isEmpty {
            let endpoint = try Endpoint.resolve(endpointFlag: nil, environment: environment)
            return Resolved(
                endpoint: endpoint, source: "the environment (\(set.joined(separator: ", ")))", requestVerify: verify)
        }
        if let profile, profile.setsEndpoint {
            return Resolved(endpoint: profile.endpoint, source: profile.sourceDescription, requestVerify: verify)
        }
        return Resolved(endpoint: Endpoint(), source: "the default", requestVerify: verify)
    }
}
