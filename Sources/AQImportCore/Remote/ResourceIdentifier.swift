import Foundation

/// A `--queue` or `--space` value, told apart the way the official SDK does (`utils/resolve.py`,
/// `is_resource_id`): an id is strict base64 (standard alphabet, padded) that decodes to UTF-8 text
/// containing a `:` (`QW5ub3RhdGlvblF1ZXVlOjE6YUJjRA==` is `AnnotationQueue:1:aBcD`); anything else is
/// a name.
public enum ResourceIdentifier: Sendable, Hashable, CustomStringConvertible {
    case id(String)
    case name(String)

    public init(_ value: String) {
        self = Self.isID(value) ? .id(value) : .name(value)
    }

    public static func isID(_ value: String) -> Bool {
        guard !value.isEmpty, let data = Data(base64Encoded: value),
            let text = String(data: data, encoding: .utf8)
        else { return false }
        return text.contains(":")
    }

    public var description: String {
        switch self {
        case .id(let id): "id \(id)"
        case .name(let name): "name \(name.debugDescription)"
        }
    }
}
