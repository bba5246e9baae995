extension RunSummary.PlanSummary {
    public init(_ plan: Plan) {
        let sizes = plan.recordsPerRequest
        self.init(
            requests: plan.requests.count, lowerBound: plan.lowerBound, sources: plan.sourceCount,
            records: plan.recordCount, recordsPerRequestMin: sizes?.min ?? 0, recordsPerRequestMean: sizes?.mean ?? 0,
            recordsPerRequestMax: sizes?.max ?? 0, earliest: plan.timeSpan?.start.rfc3339,
            latest: plan.timeSpan?.end.rfc3339)
    }
}
