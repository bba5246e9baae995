import Foundation

/// Why the `ax` profile, the proxy settings or the credential chain gave no usable answer. Messages
/// name files, profiles and variables, never a key or a token.
public enum ConfigurationError: Error, Sendable, Hashable, LocalizedError {
    case profileNotFound(name: String, path: String, available: [String])
    case unreadableProfile(path: String, reason: String)
    case invalidTOML(path: String, TOMLError)
    case invalidProfile(name: String, path: String, reason: String)
    case unsetVariable(name: String, path: String, variable: String)
    case oauthExpired(name: String, expiredAt: String)
    case oauthLoggedOut(name: String)
    case noAPIKey
    case invalidProxy(variable: String, reason: String)
    case outOfRange(flag: String, value: String, expected: String)

    public var errorDescription: String? {
        switch self {
        case .profileNotFound(let name, let path, let available):
            "the ax profile \(name.debugDescription) does not exist (no \(path))"
                + (available.isEmpty ? "" : "; available profiles: \(available.joined(separator: ", "))")
        case .unreadableProfile(let path, let reason):
            "cannot read the ax profile \(path): \(reason)"
        case .invalidTOML(let path, let error):
            "the ax profile \(path) is not valid TOML: \(error.errorDescription ?? error.message)"
        case .invalidProfile(let name, let path, let reason):
            "the ax profile \(name) (\(path)) is not usable: \(reason)"
        case .unsetVariable(let name, let path, let variable):
            "the ax profile \(name) (\(path)) refers to ${\(variable)}, but \(variable) is not set and has no default"
        case .oauthExpired(let name, let expiredAt):
            "the OAuth access token of the ax profile \(name) expired at \(expiredAt); log in again with "
                + "`ax auth login --profile \(name)` (or run any `ax` command to refresh it), then retry"
        case .oauthLoggedOut(let name):
            "the ax profile \(name) uses OAuth but is logged out; log in with `ax auth login --profile \(name)`"
        case .noAPIKey:
            "no API key: set ARIZE_API_KEY, pass --api-key-file FILE, or set up an ax profile "
                + "(`ax profiles create`); a key is never taken on the command line"
        case .invalidProxy(let variable, let reason):
            "\(variable): \(reason)"
        case .outOfRange(let flag, let value, let expected):
            "\(flag) takes \(expected), not \(value)"
        }
    }
}
