/// Before the first request (and with `--dry-run --check-remote`): looks up a sample of each group's
/// ids with the read endpoints, so that a wrong `--project-id`, times that are not start times or ids
/// of another kind stop the run before anything is sent, instead of a delivery the server answers
/// with 200 `[]` for ids it never found. Look-ups run concurrently, through the reader's retries, rate
/// limit and concurrency; they never count as deliveries.
public struct Preflight: Sendable {
    public let reader: RemoteReader
    /// Look-ups in flight at most (the reader holds HTTP attempts to its own limit as well).
    public let concurrency: Int
    /// A bound on pages per look-up: sessions with very many spans, or a huge dataset whose listing
    /// does not hold the sampled examples. What is not found by then counts as not found.
    public let maxPagesPerLookup: Int

    public init(reader: RemoteReader, concurrency: Int = 4, maxPagesPerLookup: Int = 200) {
        self.reader = reader
        self.concurrency = max(concurrency, 1)
        self.maxPagesPerLookup = max(maxPagesPerLookup, 1)
    }

    public func run(_ plan: Plan) async throws(RemoteError) -> PreflightReport {
        try await run(PreflightSample.draw(from: plan))
    }

    public func run(_ samples: [PreflightSample]) async throws(RemoteError) -> PreflightReport {
        let queries = samples.enumerated().flatMap { index, sample in
            sample.lookups.enumerated().map { lookupIndex, lookup in
                (index, lookupIndex, PreflightQuery(kind: sample.kind, scope: sample.scope, lookup: lookup))
            }
        }
        // The child tasks return plain values and never throw: a typed `do throws` inside a task
        // group's child closure, with the results written from the group's body, trapped (index out of
        // range) in release builds only.
        let answers = await withTaskGroup(of: PreflightAnswer.self, returning: [PreflightAnswer].self) { group in
            var pending = queries.makeIterator()
            var inFlight = 0
            var failed = false
            var answers: [PreflightAnswer] = []
            while true {
                while !failed, inFlight < concurrency, let next = pending.next() {
                    inFlight += 1
                    let (index, lookupIndex, query) = next
                    group.addTask {
                        PreflightAnswer(index: index, lookupIndex: lookupIndex, result: await lookResult(query))
                    }
                }
                guard let answer = await group.next() else { break }
                inFlight -= 1
                if case .failure = answer.result { failed = true }
                answers.append(answer)
            }
            return answers
        }
        var results = samples.map { Array(repeating: PreflightGroupResult.Lookup?.none, count: $0.lookups.count) }
        for answer in answers {
            switch answer.result {
            case .success(let lookup): results[answer.index][answer.lookupIndex] = lookup
            case .failure(let error): throw error
            }
        }
        let groups = zip(samples, results).map { sample, lookups in
            PreflightGroupResult(
                kind: sample.kind, scope: sample.scope, groupSize: sample.groupSize, lookups: lookups.compactMap { $0 })
        }
        return PreflightReport(groups: groups, reads: reader.counters)
    }

    private func lookResult(_ query: PreflightQuery) async -> Result<PreflightGroupResult.Lookup, RemoteError> {
        do {
            return .success(try await look(query))
        } catch {
            return .failure(error)
        }
    }

    /// One look-up, paged until every sampled id came back or the listing ends. A 404 (no such
    /// project or dataset, or not readable with this key) finds nothing; other errors end the preflight.
    func look(_ query: PreflightQuery) async throws(RemoteError) -> PreflightGroupResult.Lookup {
        let sampled = query.lookup.ids.map(\.text)
        var wanted = Set(sampled.map { Array($0.utf8) })
        var found: Set<[UInt8]> = []
        var pages = 0
        var itemsSeen = 0
        var note: String?
        do {
            try await reader.forEachPage(
                query.read, itemsKey: query.itemsKey, limit: PreflightQuery.pageSize, maxPages: maxPagesPerLookup
            ) { (items: [PreflightItem]) in
                pages += 1
                itemsSeen += items.count
                for item in items {
                    guard let id = query.id(of: item) else { continue }
                    let bytes = Array(id.utf8)
                    if wanted.remove(bytes) != nil { found.insert(bytes) }
                }
                return !wanted.isEmpty
            }
        } catch {
            guard case .http(404, _, let detail) = error else { throw error }
            note = "HTTP 404: \(detail)"
        }
        return PreflightGroupResult.Lookup(
            whereLooked: query.whereLooked, sampled: sampled,
            found: sampled.filter { found.contains(Array($0.utf8)) }, pages: pages, note: note,
            emptyListing: query.kind == .example && note == nil && itemsSeen == 0)
    }
}

/// One look-up's answer, with the place of its group and look-up in the sample.
private struct PreflightAnswer: Sendable {
    var index: Int
    var lookupIndex: Int
    var result: Result<PreflightGroupResult.Lookup, RemoteError>
}
