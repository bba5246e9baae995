/// Expands `${VAR}` and `${VAR:default}` in a string from an environment, as the `ax` CLI does for
/// every string value of a profile (`ax/config/manager.py`). A `$` not followed by `{` is left alone.
public enum VariableExpander {
    public enum Failure: Error, Sendable, Hashable {
        /// The variable is unset and the reference has no default.
        case unset(String)
    }

    public static func expand(_ text: String, environment: [String: String]) throws(Failure) -> String {
        guard text.contains("${") else { return text }
        var out = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            let body = rest[start.upperBound...]
            // ax's pattern is \$\{([^}:]+)(?::([^}]*))?\}: a name of at least one character.
            guard let close = body.firstIndex(of: "}") else { break }
            let inside = body[..<close]
            let name: Substring
            let fallback: Substring?
            if let colon = inside.firstIndex(of: ":") {
                name = inside[..<colon]
                fallback = inside[inside.index(after: colon)...]
            } else {
                name = inside
                fallback = nil
            }
            out += rest[..<start.lowerBound]
            if name.isEmpty {
                out += rest[start.lowerBound...close]
            } else if let value = environment[String(name)] {
                out += value
            } else if let fallback {
                out += fallback
            } else {
                throw .unset(String(name))
            }
            rest = body[body.index(after: close)...]
        }
        return out + rest
    }
}
