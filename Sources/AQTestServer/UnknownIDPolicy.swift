/// What a catalogue-backed double does with an id it does not know, or whose timestamp is outside the source's
/// window: `ignore` creates nothing for it (the real service's likely behaviour), `reject` answers 422.
public enum UnknownIDPolicy: String, Sendable, Codable, CaseIterable {
    case ignore
    case reject
}
