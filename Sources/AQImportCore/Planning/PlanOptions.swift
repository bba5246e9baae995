/// What the planner needs to know beyond the records themselves.
public struct PlanOptions: Sendable, Hashable {
    /// The window (`--start`/`--end`) used, exactly as given, for project records that carry no timestamp.
    /// The caller checks it (start before end, at most `APILimits.maxWindowSeconds` apart).
    public var fixedWindow: TimeWindow?

    public init(fixedWindow: TimeWindow? = nil) {
        self.fixedWindow = fixedWindow
    }
}
