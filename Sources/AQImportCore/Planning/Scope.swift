/// What a record source is keyed by: the project for span, trace and session records; the dataset
/// (and optionally its version) for examples.
public enum Scope: Sendable, Hashable, Comparable {
    case project(id: String)
    case dataset(id: String, versionID: String?)

    public var description: String {
        switch self {
        case .project(let id): "project \(id)"
        case .dataset(let id, nil): "dataset \(id)"
        case .dataset(let id, let version?): "dataset \(id) version \(version)"
        }
    }

    public static func < (lhs: Scope, rhs: Scope) -> Bool {
        switch (lhs, rhs) {
        case (.project(let a), .project(let b)): a < b
        case (.project, .dataset): true
        case (.dataset, .project): false
        case (.dataset(let a, let av), .dataset(let b, let bv)): (a, av ?? "") < (b, bv ?? "")
        }
    }
}
