/// `--verify`: when to list the queue after a delivery to settle every id.
public enum VerifyMode: String, Sendable, CaseIterable {
    /// When some delivered id was not confirmed by a 201 (a 200 `[]`, a short 201, a lost answer).
    case auto
    case always
    /// Never list: ids no 201 confirmed are reported as unconfirmed. No baseline either.
    case never
}
