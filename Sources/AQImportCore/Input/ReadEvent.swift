/// What reading one row gives: a record for the planner, or a rejection for the rejects file; with
/// `ReadOptions.recordRuns`, most records come several at a time as a run.
public enum ReadEvent: Sendable, Hashable {
    case record(RecordRef)
    case rejected(Rejection)
    case records(RecordRun)
}
