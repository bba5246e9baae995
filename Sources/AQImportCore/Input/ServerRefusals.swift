/// The ids the server refused, looked up by kind and by the id's exact bytes (`ExactText`): a second
/// reading of the inputs after delivery turns exactly their rows into rejections with the server's answer.
public struct ServerRefusals: Sendable, Hashable {
    private struct Key: Sendable, Hashable {
        var kind: RecordKind
        var id: ExactText
    }

    private var answers: [Key: ServerRejection] = [:]

    /// The first answer for each (kind, id) is kept.
    public init(_ rejections: [ServerRejection]) {
        for rejection in rejections {
            let key = Key(kind: rejection.kind, id: ExactText(rejection.id))
            if answers[key] == nil { answers[key] = rejection }
        }
    }

    public var count: Int { answers.count }

    public subscript(kind: RecordKind, id: String) -> ServerRejection? {
        answers[Key(kind: kind, id: ExactText(id))]
    }
}
