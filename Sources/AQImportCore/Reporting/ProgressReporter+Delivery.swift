extension ProgressReporter {
    /// Feeds the progress line from the sender's events.
    public func handle(_ event: DeliveryEvent) {
        switch event {
        case .delivered(_, _, let records, _):
            requestFinished(records: records)
        case .rejected(_, let rejections, let created):
            requestFinished(records: created + rejections.count, rejected: rejections.count)
        case .retryScheduled(_, _, _, let cause):
            retried(rateLimited: cause == .status(429))
        case .bisecting, .concurrencyChanged, .stopping, .aborting:
            break
        }
    }
}
