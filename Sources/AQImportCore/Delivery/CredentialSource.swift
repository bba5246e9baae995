/// Where the API key came from, for messages: never the key itself.
public enum CredentialSource: Sendable, Hashable, CustomStringConvertible {
    case environment(variable: String)
    case file(path: String)

    public var description: String {
        switch self {
        case .environment(let variable): "the environment variable \(variable)"
        case .file(let path): "the file \(path)"
        }
    }
}
