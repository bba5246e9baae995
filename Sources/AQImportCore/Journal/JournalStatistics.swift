/// What a journal wrote in this process, for benchmarks and for the group-commit tests.
public struct JournalStatistics: Sendable, Hashable {
    /// Lines appended (including the header or `resumed` line).
    public var lines = 0
    public var bytes = 0
    /// Group writes: each is one write(2) of every line buffered since the previous one.
    public var writes = 0
    /// fsync(2) calls on the journal (0 with `fsync: false`).
    public var fsyncs = 0
}
