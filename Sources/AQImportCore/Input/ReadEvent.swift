/// What reading one row gives: a record for the planner, or a rejection for the rejects file.
public enum ReadEvent: Sendable, Hashable {
    case record(RecordRef)
    case rejected(Rejection)
}
