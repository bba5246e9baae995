/// Where the API key came from, for messages: never the key itself.
public enum CredentialSource: Sendable, Hashable, CustomStringConvertible {
    case environment(variable: String)
    case file(path: String)
    /// An `ax` CLI profile (`~/.arize/profiles/<name>.toml`).
    case profile(name: String, path: String)

    public var description: String {
        switch self {
        case .environment(let variable): "the environment variable \(variable)"
        case .file(let path): "the file \(path)"
        case .profile(let name, let path): "the ax profile \(name) (\(path))"
        }
    }
}
