import Foundation

/// The API key and where it came from. Its descriptions and mirror show only the source, so that
/// printing, logging or dumping a credential cannot leak the key.
public struct APICredential: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    package let secret: String
    public let source: CredentialSource

    public init(key: String, source: CredentialSource) {
        self.secret = key
        self.source = source
    }

    /// The `Authorization` header value.
    package var authorization: String { "Bearer \(secret)" }

    public var description: String { "API key <redacted> from \(source)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["source": source]) }

    /// The key from `--api-key-file` when given, else from `ARIZE_API_KEY`. Surrounding whitespace and
    /// a trailing newline are dropped; a key with control characters (which would break the header) or
    /// an empty one is an error.
    public static func resolve(
        apiKeyFile: String?, environment: [String: String],
        readFile: (String) throws -> String = { try String(contentsOfFile: $0, encoding: .utf8) }
    ) throws(CredentialError) -> APICredential {
        let source: CredentialSource
        let raw: String
        if let path = apiKeyFile {
            source = .file(path: path)
            do {
                raw = try readFile(path)
            } catch {
                throw .unreadableFile(path, error.localizedDescription)
            }
        } else if let value = environment["ARIZE_API_KEY"] {
            source = .environment(variable: "ARIZE_API_KEY")
            raw = value
        } else {
            throw .missing
        }
        let key = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else { throw .empty(source) }
        guard key.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value < 0x7F }) else {
            throw .malformed(source)
        }
        return APICredential(key: key, source: source)
    }
}
