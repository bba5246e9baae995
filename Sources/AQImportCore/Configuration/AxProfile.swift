import Foundation

/// One profile of Arize's `ax` CLI, read by `AxProfileLoader`: its credential, the endpoint its
/// routing table names and whether TLS certificates are verified. Descriptions and the mirror show
/// where things came from, never the key or the token.
public struct AxProfile: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// How the profile signs in. The associated secrets stay inside the module.
    public enum Authentication: Sendable, Hashable {
        case apiKey(String)
        case oauth(accessToken: String, expiresAt: Date)
        /// An OAuth profile whose tokens were cleared by `ax auth logout`.
        case oauthLoggedOut
        /// No `[auth]` table, or one with no credential.
        case none
    }

    /// `ax` refreshes a token that expires within 60 seconds (`ax/auth/bearer.py`); we cannot refresh,
    /// so such a token counts as expired.
    public static let expiryMargin: TimeInterval = 60

    /// The profile's name: the file's stem, as `ax profiles use NAME` takes it.
    public var name: String
    /// The profile file, absolute.
    public var path: String
    /// The profile file with the home directory shown as `~`.
    public var displayPath: String
    package var authentication: Authentication
    /// The canonical zone id (`us-east-1b`, ...) when the profile routes by region (aliases resolved).
    public var region: String?
    /// The API endpoint the profile's `[routing]` names (`https://api.arize.com` when it names none).
    public var endpoint: Endpoint
    /// Whether `[routing]` set anything that decides the API endpoint.
    public var setsEndpoint: Bool
    /// `[security] request_verify`, true unless the profile turns verification off.
    public var requestVerify: Bool

    public init(
        name: String, path: String, displayPath: String, authentication: Authentication, region: String? = nil,
        endpoint: Endpoint = Endpoint(), setsEndpoint: Bool = false, requestVerify: Bool = true
    ) {
        self.name = name
        self.path = path
        self.displayPath = displayPath
        self.authentication = authentication
        self.region = region
        self.endpoint = endpoint
        self.setsEndpoint = setsEndpoint
        self.requestVerify = requestVerify
    }

    /// For messages and the run summary: `profile work (~/.arize/profiles/work.toml)`.
    public var sourceDescription: String { "profile \(name) (\(displayPath))" }

    /// Whether the profile holds a credential at all (an API key, or OAuth tokens, expired or not).
    public var hasCredential: Bool {
        switch authentication {
        case .apiKey, .oauth: true
        case .oauthLoggedOut, .none: false
        }
    }

    public var authMethod: String {
        switch authentication {
        case .apiKey: "api-key"
        case .oauth, .oauthLoggedOut: "oauth"
        case .none: "none"
        }
    }

    /// The bearer credential at `now`: the API key, or the OAuth access token while it is more than
    /// `expiryMargin` from expiry. `nil` when the profile has no credential; an expired or logged-out
    /// OAuth profile is an error that says how to log in again.
    ///
    public func credential(now: Date) throws(ConfigurationError) -> APICredential? {
        let secret: String
        switch authentication {
        case .none:
            return nil
        case .oauthLoggedOut:
            throw .oauthLoggedOut(name: name)
        case .apiKey(let key):
            secret = key
        case .oauth(let token, let expiresAt):
            guard expiresAt.timeIntervalSince(now) > Self.expiryMargin else {
                throw .oauthExpired(name: name, expiredAt: Self.iso8601(expiresAt))
            }
            secret = token
        }
        let key = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else {
            throw .invalidProfile(name: name, path: displayPath, reason: "its \(credentialField) is empty")
        }
        guard key.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value < 0x7F }) else {
            throw .invalidProfile(
                name: name, path: displayPath, reason: "its \(credentialField) contains spaces or control characters")
        }
        return APICredential(key: key, source: .profile(name: name, path: displayPath))
    }

    private var credentialField: String {
        if case .oauth = authentication { return "OAuth access token" }
        return "api_key"
    }

    static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    public var description: String {
        "ax \(sourceDescription), auth \(authMethod), endpoint \(endpoint)"
            + (requestVerify ? "" : ", TLS verification off")
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "name": name, "path": path, "authMethod": authMethod, "region": region as Any,
                "endpoint": endpoint, "setsEndpoint": setsEndpoint, "requestVerify": requestVerify,
            ])
    }
}
