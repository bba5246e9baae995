/// What a record source is keyed by: the project for span, trace and session records; the dataset
/// (and optionally its version) for examples. Compared, hashed and ordered by the UTF-8 bytes of its
/// ids (`ExactText`): two projects whose ids are canonically equivalent but spelled differently are two.
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

    /// Why a scope given as a flag (`--project-id`, `--dataset-id`, `--dataset-version-id`) cannot be
    /// used, to follow the flag's name ("is empty", "holds a control character"), or nil. Flags obey
    /// the rules of scope cells: an empty or blank value, a control character, whitespace at either end,
    /// invalid UTF-8 or more than 4096 bytes are refused.
    public static func problem(withFlagValue value: String) -> String? {
        RecordBuilder.scopeFlagProblem(value)
    }

    public static func == (lhs: Scope, rhs: Scope) -> Bool {
        switch (lhs, rhs) {
        case (.project(let a), .project(let b)):
            ExactText.equal(a, b)
        case (.dataset(let a, let av), .dataset(let b, let bv)):
            ExactText.equal(a, b) && (av == nil) == (bv == nil) && ExactText.equal(av ?? "", bv ?? "")
        default:
            false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .project(let id):
            hasher.combine(0)
            ExactText.hash(id, into: &hasher)
        case .dataset(let id, let version):
            hasher.combine(1)
            ExactText.hash(id, into: &hasher)
            hasher.combine(version != nil)
            ExactText.hash(version ?? "", into: &hasher)
        }
    }

    public static func < (lhs: Scope, rhs: Scope) -> Bool {
        switch (lhs, rhs) {
        case (.project(let a), .project(let b)): ExactText.less(a, b)
        case (.project, .dataset): true
        case (.dataset, .project): false
        case (.dataset(let a, let av), .dataset(let b, let bv)):
            ExactText.equal(a, b) ? ExactText.less(av ?? "", bv ?? "") : ExactText.less(a, b)
        }
    }
}
