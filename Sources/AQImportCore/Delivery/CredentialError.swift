import Foundation

/// Why no usable API key was found. Messages name the source, never the key.
public enum CredentialError: Error, Sendable, Hashable, LocalizedError {
    case missing
    case unreadableFile(String, String)
    case empty(CredentialSource)
    case malformed(CredentialSource)

    public var errorDescription: String? {
        switch self {
        case .missing:
            "no API key: set ARIZE_API_KEY or pass --api-key-file FILE (a key is never taken on the command line)"
        case .unreadableFile(let path, let reason):
            "cannot read the API key file \(path): \(reason)"
        case .empty(let source):
            "the API key from \(source) is empty"
        case .malformed(let source):
            "the API key from \(source) contains spaces or control characters; it should be a single token"
        }
    }
}
