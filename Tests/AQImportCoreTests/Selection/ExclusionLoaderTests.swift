import Foundation
import Testing

@testable import AQImportCore

/// What another queue holds, read from its records listing: every source id a record's `data` names.
@Suite("Exclusion loader")
struct ExclusionLoaderTests {
    @Test("a span record holds its span, and the trace and session its data names; an example record its example")
    func recordsNameTheirUnits() async throws {
        let page = """
            {"records": [
              {"id": "r1", "source_type": "SPANS", "granularity": "SPAN",
               "data": {"context.span_id": "a1b2c3d4e5f60718", "context.trace_id": "0123456789abcdef0123456789abcdef",
                        "attributes.session.id": "session-7", "start_time": "1768435200000"}},
              {"id": "r2", "source_type": "SPANS", "granularity": "TRACE",
               "data": {"context.trace_id": "fedcba9876543210fedcba9876543210"}},
              {"id": "r3", "source_type": "DATASET", "data": {"id": "example-1"}},
              {"id": "r4", "source_type": "SPANS", "data": {"start_time": "1768435200000"}}
            ], "pagination": {"has_more": false}}
            """
        let transport = FakeTransport { _, _ in RemoteReaderTests.ok(page) }
        let set = try await ExclusionLoader.list(queueIDs: ["QQ=="], reader: RemoteReaderTests.reader(transport))
        #expect(set.contains(kind: .span, id: RecordID("a1b2c3d4e5f60718")))
        #expect(set.contains(kind: .trace, id: RecordID("0123456789abcdef0123456789abcdef")))
        #expect(set.contains(kind: .session, id: RecordID("session-7")))
        #expect(set.contains(kind: .trace, id: RecordID("fedcba9876543210fedcba9876543210")))
        #expect(set.contains(kind: .example, id: RecordID("example-1")))
        #expect(!set.contains(kind: .span, id: RecordID("example-1")))
        #expect(set.count == 5)
    }
}
