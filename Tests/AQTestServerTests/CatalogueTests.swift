import AQTestServer
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Catalogue and --unknown-ids")
struct CatalogueTests {
    typealias F = Fixtures

    static func configuration(_ policy: UnknownIDPolicy) -> TestServerConfiguration {
        TestServerConfiguration(
            catalogue: Catalogue(
                projects: [
                    F.project: .init(
                        spans: ["in": "2026-01-15T12:00:00Z", "late": "2026-01-20T00:00:00Z"],
                        traces: ["t1": "2026-01-15T01:00:00+01:00"])
                ],
                datasets: [F.dataset: ["e1", "e2", "e3"]]),
            unknownIDs: policy)
    }

    @Test("ignore: unknown ids and ids outside the window are not created")
    func ignore() async throws {
        let server = try TestServer(configuration: Self.configuration(.ignore))
        try await server.makeApplication().test(.router) { client async throws in
            let response = try await F.post(
                client, F.request(F.span(["in", "late", "nope"]), F.example(["e1", "e9"])))
            #expect(response.status == .created)
            let records = try #require(try F.object(response.body)["record_sources"] as? [[String: Any]])
            #expect(
                records.compactMap { $0["data"] as? [String: String] } == [
                    ["context.span_id": "in", "start_time": "1768478400000"], ["id": "e1"],
                ])
            let nothingNew = try await F.post(client, F.request(F.span(["nope"])))
            #expect(nothingNew.status == .ok)
            let trace = try await F.post(client, F.request(F.project("TRACE", ["t1"])))
            #expect(trace.status == .created)
        }
        #expect(server.control.stats().unknownIDsIgnored == 4)
    }

    @Test("a span's record names the trace and session the catalogue relates it to")
    func spanRecordsNameTheirTraceAndSession() async throws {
        var configuration = Self.configuration(.ignore)
        configuration.catalogue!.projects[F.project]!.spanTraces = ["in": "t1"]
        configuration.catalogue!.projects[F.project]!.spanSessions = ["in": "s1"]
        try await Fixtures.withRouter(configuration) { client async throws in
            let response = try await F.post(client, F.request(F.span(["in"])))
            #expect(response.status == .created)
            let records = try #require(try F.object(response.body)["record_sources"] as? [[String: Any]])
            #expect(
                records.compactMap { $0["data"] as? [String: String] } == [
                    [
                        "context.span_id": "in", "context.trace_id": "t1", "attributes.session.id": "s1",
                        "start_time": "1768478400000",
                    ]
                ])
        }
    }

    @Test("reject: 422 naming the source and the id")
    func reject() async throws {
        try await Fixtures.withRouter(Self.configuration(.reject)) { client async throws in
            let unknown = try await F.post(client, F.request(F.span(["in"]), F.span(["nope"])))
            try F.expectProblem(unknown, status: 422, rule: "unknown-id", detail: "record_sources[1]: span id \"nope\"")
            let outside = try await F.post(client, F.request(F.span(["late"])))
            try F.expectProblem(outside, status: 422, rule: "unknown-id", detail: "outside the window")
            let otherProject = try await F.post(client, F.request(F.project("SPAN", ["in"], project: "UHJvamVjdDoy")))
            try F.expectProblem(otherProject, status: 422, rule: "unknown-id", detail: "is not in project UHJvamVjdDoy")
            let example = try await F.post(client, F.request(F.example(["e4"])))
            try F.expectProblem(example, status: 422, rule: "unknown-id", detail: "example id \"e4\"")
        }
    }

    @Test("an EXAMPLE source without example_ids adds the whole catalogued dataset")
    func wholeDataset() async throws {
        try await Fixtures.withRouter(Self.configuration(.reject)) { client async throws in
            let response = try await F.post(client, F.request(F.example(nil)))
            #expect(response.status == .created)
            let records = try #require(try F.object(response.body)["record_sources"] as? [[String: Any]])
            #expect(records.compactMap { ($0["data"] as? [String: String])?["id"] } == ["e1", "e2", "e3"])
            let unknownDataset = try await F.post(client, F.request(F.example(nil, dataset: "other")))
            try F.expectProblem(unknownDataset, status: 422, rule: "whole-dataset")
        }
    }

    @Test("a catalogue time without an offset is refused at start")
    func badCatalogueTime() {
        let configuration = TestServerConfiguration(
            catalogue: Catalogue(projects: [F.project: .init(spans: ["a": "2026-01-15 00:00:00"])]))
        #expect(throws: (any Error).self) { try TestServer(configuration: configuration) }
    }
}
