import Testing

@testable import AQImportCore

@Suite("Event pipeline")
struct EventPipelineTests {
    private static func event(_ k: Int) -> ReadEvent {
        .record(
            RecordRef(
                kind: .span, id: RecordID(String(format: "%016x", k)), scope: .project(id: "p"),
                timestamp: nil, origin: RowOrigin(fileIndex: 0, line: k)))
    }

    private static func line(_ event: ReadEvent) -> Int {
        if case .record(let record) = event { return record.origin.line }
        return -1
    }

    @Test("ahead sees every event once, in order, a bounded distance before handle", arguments: [0, 1, 17, 20_000])
    func lookahead(count: Int) throws {
        var seen: [Int] = []
        var handled: [Int] = []
        var maxLead = 0
        try EventPipeline.run(
            { emit in for k in 0..<count { try emit(Self.event(k)) } },
            handle: { event in
                let k = Self.line(event)
                #expect(seen.last.map { $0 >= k } == true, "ahead saw \(k) before it was handled")
                handled.append(k)
            },
            ahead: { event in
                seen.append(Self.line(event.pointee))
                maxLead = max(maxLead, seen.count - handled.count)
            })
        #expect(seen == Array(0..<count))
        #expect(handled == Array(0..<count))
        #expect(maxLead <= EventPipeline.lookahead + 1)
    }
}

extension EventPipelineTests {
    private struct Stop: Error {}

    @Test("a handler that throws mid-batch stops the reader; the events left are released, the error comes out")
    func stopMidBatch() {
        var handled = 0
        #expect(throws: Stop.self) {
            try EventPipeline.run(
                { emit in for k in 0..<50_000 { try emit(Self.event(k)) } },
                handle: { _ in
                    handled += 1
                    if handled == 10_000 { throw Stop() }
                })
        }
        #expect(handled == 10_000)
    }
}
