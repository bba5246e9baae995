/// What made an attempt fail in a way worth another try.
public enum RetryCause: Sendable, Hashable, CustomStringConvertible {
    case status(Int)
    case transport(TransportError)

    public var description: String {
        switch self {
        case .status(let status): "HTTP \(status)"
        case .transport(let error): error.description
        }
    }
}
