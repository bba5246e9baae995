/// A value of the TOML subset that `TOMLParser` reads. Date-times keep their text: the one reader that
/// needs them (`AxProfile`'s token expiry) parses them itself.
public enum TOMLValue: Sendable, Hashable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case dateTime(String)
    case array([TOMLValue])
    case table([String: TOMLValue])

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var tableValue: [String: TOMLValue]? {
        if case .table(let value) = self { return value }
        return nil
    }

    /// The value at a dotted path of table keys, e.g. `["auth", "oauth", "access_token"]`.
    public subscript(path: String...) -> TOMLValue? {
        self[path]
    }

    public subscript(path: [String]) -> TOMLValue? {
        var current: TOMLValue? = self
        for key in path {
            current = current?.tableValue?[key]
        }
        return current
    }
}
