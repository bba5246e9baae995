import Foundation

/// The API key by precedence: `--api-key-file`, then `ARIZE_API_KEY` (both through
/// `APICredential.resolve`), then the `ax` profile's API key or unexpired OAuth access token.
public enum CredentialChain {
    public struct Resolved: Sendable, Hashable {
        public var credential: APICredential
        /// Where the key came from, for the summary and messages: `the environment variable ARIZE_API_KEY`,
        /// `the file /path`, `profile work (~/.arize/profiles/work.toml)`.
        public var source: String
    }

    /// Throws `CredentialError` for a bad file or variable, `ConfigurationError` for a bad profile
    /// credential (expired OAuth token, logged out) or when no layer has a key.
    public static func resolve(
        apiKeyFile: String?, environment: [String: String], profile: AxProfile?, now: Date = Date(),
        readFile: (String) throws -> String = { try String(contentsOfFile: $0, encoding: .utf8) }
    ) throws -> Resolved {
        if apiKeyFile != nil || environment["ARIZE_API_KEY"] != nil {
            let credential = try APICredential.resolve(
                apiKeyFile: apiKeyFile, environment: environment, readFile: readFile)
            return Resolved(credential: credential, source: credential.source.description)
        }
        if let profile, let credential = try profile.credential(now: now) {
            return Resolved(credential: credential, source: profile.sourceDescription)
        }
        throw ConfigurationError.noAPIKey
    }
}
