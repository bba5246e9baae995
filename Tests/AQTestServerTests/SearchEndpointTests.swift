import AQTestServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("POST /v2/spans, POST /v2/traces and GET /v2/datasets/{id}/examples")
struct SearchEndpointTests {
    typealias F = Fixtures
    static let otherProject = "UHJvamVjdDoy"

    static var catalogued: TestServerConfiguration {
        TestServerConfiguration(
            catalogue: Catalogue(
                projects: [
                    F.project: .init(
                        spans: [
                            "a": "2026-01-15T12:00:00Z", "b": "2026-01-15T13:00:00.5Z", "c": "2026-01-16T00:00:00Z",
                            "it's": "2026-01-15T10:00:00Z", "d": "2026-01-14T23:59:59.999Z",
                        ],
                        traces: ["t1": "2026-01-15T11:00:00Z", "t2": "2026-01-15T00:00:00Z"],
                        sessions: ["s1": "2026-01-15T09:00:00Z"]),
                    otherProject: .init(spans: ["a": "2026-01-15T12:00:00Z"]),
                ],
                datasets: [F.dataset: F.ids("e", 7), "RGF0YXNldDo0MjpxYQ==": ["q1"]]))
    }

    static func search(
        project: String = F.project, start: String = F.start, end: String = F.end, filter: String?,
        columns: [String]? = nil
    ) -> String {
        var members = [
            #""project_id":"\#(project)""#, #""start_time":"\#(start)""#, #""end_time":"\#(end)""#,
        ]
        if let filter {
            members.append(#""filter":"# + JSONValue.string(filter).serialized)
        }
        if let columns { members.append(#""included_columns":\#(F.array(columns))"#) }
        return "{" + members.joined(separator: ",") + "}"
    }

    static func items(_ response: TestResponse, _ key: String) throws -> [[String: Any]] {
        #expect(response.status == .ok)
        return try #require(try F.object(response.body)[key] as? [[String: Any]])
    }

    static func spanIDs(_ response: TestResponse) throws -> [String] {
        try items(response, "spans").map { try #require(($0["context"] as? [String: String])?["span_id"]) }
    }

    static func spans(_ client: some TestClientProtocol, _ body: String, query: String = "") async throws
        -> TestResponse
    {
        try await F.post(client, body, path: "/v2/spans" + query)
    }

    @Test("spans by id: inside the window (both bounds inclusive), newest first, in the REST Span shape")
    func spansByID() async throws {
        try await F.withRouter(Self.catalogued) { client async throws in
            let filter =
                "context.span_id = 'a' OR context.span_id = 'c' OR context.span_id = 'd' OR context.span_id = 'zz'"
            let response = try await Self.spans(client, Self.search(filter: filter, columns: ["context.span_id"]))
            #expect(try Self.spanIDs(response) == ["c", "a"])
            let span = try #require(try Self.items(response, "spans").first)
            let context = try #require(span["context"] as? [String: String])
            #expect(context["trace_id"]?.count == 32)
            #expect(span["start_time"] as? String == "2026-01-16T00:00:00Z")
            #expect(span["parent_id"] is NSNull)
            for field in [
                "name", "kind", "end_time", "status_code", "attributes", "annotations", "evaluations", "events",
            ] {
                #expect(span[field] != nil, "missing \(field)")
            }
            let widened = try await Self.spans(
                client, Self.search(start: "2026-01-14T23:59:59.999Z", filter: filter))
            #expect(try Self.spanIDs(widened) == ["c", "a", "d"])
            let narrowed = try await Self.spans(
                client, Self.search(start: "2026-01-14T23:59:59.999Z", end: "2026-01-15T23:59:59Z", filter: filter))
            #expect(try Self.spanIDs(narrowed) == ["a", "d"])
        }
    }

    @Test("quotes, !=, AND, OR, parentheses and lower-case keywords")
    func filterLanguage() async throws {
        try await F.withRouter(Self.catalogued) { client async throws in
            let quoted = try await Self.spans(client, Self.search(filter: "context.span_id = 'it''s'"))
            #expect(try Self.spanIDs(quoted) == ["it's"])
            let combined = try await Self.spans(
                client,
                Self.search(filter: "(context.span_id = 'a' or context.span_id = 'b') and context.span_id != 'a'"))
            #expect(try Self.spanIDs(combined) == ["b"])
            let all = try Self.spanIDs(try await Self.spans(client, Self.search(filter: nil)))
            #expect(all.count == 7)
            let notA = try Self.spanIDs(try await Self.spans(client, Self.search(filter: "context.span_id != 'a'")))
            #expect(notA == all.filter { $0 != "a" })
            let precedence = try await Self.spans(
                client,
                Self.search(filter: "context.span_id = 'c' OR context.span_id = 'a' AND context.span_id = 'b'"))
            #expect(try Self.spanIDs(precedence) == ["c"])
        }
    }

    @Test("sessions through attributes.session.id; included_columns decides the attributes shown")
    func sessions() async throws {
        try await F.withRouter(Self.catalogued) { client async throws in
            let filter = "attributes.session.id = 's1'"
            let full = try Self.items(try await Self.spans(client, Self.search(filter: filter)), "spans")
            #expect(full.count == 1)
            #expect(full.first?["attributes"] as? [String: String] == ["session.id": "s1"])
            #expect(full.first?["start_time"] as? String == "2026-01-15T09:00:00Z")
            let chosen = try Self.items(
                try await Self.spans(client, Self.search(filter: filter, columns: ["attributes.session.id"])), "spans")
            #expect(chosen.first?["attributes"] as? [String: String] == ["session.id": "s1"])
            let minimal = try Self.items(
                try await Self.spans(client, Self.search(filter: filter, columns: ["context.span_id"])), "spans")
            #expect(minimal.first?["attributes"] as? [String: String] == [:])
        }
    }

    @Test("a project searches its own spans; a project the catalogue does not list has none")
    func projects() async throws {
        try await F.withRouter(Self.catalogued) { client async throws in
            let filter = "context.span_id = 'a' OR context.span_id = 'b'"
            #expect(
                try Self.spanIDs(try await Self.spans(client, Self.search(project: Self.otherProject, filter: filter)))
                    == ["a"])
            #expect(
                try Self.spanIDs(try await Self.spans(client, Self.search(project: "bm9uZQ==", filter: filter))) == [])
        }
    }

    @Test("span results walked with cursors give the one-page answer")
    func spanPaging() async throws {
        try await F.withRouter(Self.catalogued) { client async throws in
            let body = Self.search(filter: nil)
            let whole = try Self.spanIDs(try await Self.spans(client, body, query: "?limit=500"))
            var walked: [String] = []
            var cursor: String? = nil
            repeat {
                var query = "?limit=3"
                if let cursor {
                    query += "&cursor=" + cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                }
                let response = try await Self.spans(client, body, query: query)
                walked += try Self.spanIDs(response)
                let pagination = try #require(try F.object(response.body)["pagination"] as? [String: Any])
                cursor = pagination["has_more"] as? Bool == true ? pagination["next_cursor"] as? String : nil
            } while cursor != nil
            #expect(walked == whole)
            #expect(whole.count == 7)
        }
    }

    @Test("traces by id, newest first, with their root spans also found by /v2/spans")
    func traces() async throws {
        try await F.withRouter(Self.catalogued) { client async throws in
            let response = try await F.post(
                client, Self.search(filter: "context.trace_id = 't2' OR trace_id = 't1' OR trace_id = 'nope'"),
                path: "/v2/traces")
            let traces = try Self.items(response, "traces")
            #expect(traces.compactMap { $0["trace_id"] as? String } == ["t1", "t2"])
            #expect(traces.first?["start_time"] as? String == "2026-01-15T11:00:00Z")
            let root = try #require(traces.first?["root_span_id"] as? String)
            let spans = try await Self.spans(client, Self.search(filter: "context.trace_id = 't1'"))
            #expect(try Self.spanIDs(spans) == [root])
            let later = try await F.post(
                client, Self.search(start: "2026-01-15T00:00:00.001Z", filter: "trace_id = 't2'"), path: "/v2/traces")
            #expect(try Self.items(later, "traces").isEmpty)
        }
    }

    @Test("a filter of 5,000 ids is looked up; parentheses nest 64 deep, not 65")
    func bigFilters() async throws {
        try await F.withRouter(Self.catalogued) { client async throws in
            let ids = F.ids("nope", 4998) + ["b", "a"]
            let filter = ids.map { "context.span_id = '\($0)'" }.joined(separator: " OR ")
            #expect(try Self.spanIDs(try await Self.spans(client, Self.search(filter: filter))) == ["b", "a"])
            func nested(_ depth: Int) -> String {
                String(repeating: "(", count: depth) + "context.span_id = 'a'" + String(repeating: ")", count: depth)
            }
            #expect(try Self.spanIDs(try await Self.spans(client, Self.search(filter: nested(64)))) == ["a"])
            let deep = try await Self.spans(client, Self.search(filter: nested(65)))
            try F.expectProblem(deep, status: 400, rule: "unsupported-filter", detail: "nested deeper than 64")
        }
    }

    @Test(
        "filters outside the subset are 400 problems",
        arguments: [
            "context.span_id < 'a'", "context.span_id = \"a\"", "context.span_id = 'a", "context.span_id LIKE 'a'",
            "NOT context.span_id = 'a'", "foo = 'a'", "context.span_id = 1", "(context.span_id = 'a'",
            "context.span_id = 'a' OR", "context.span_id = 'a' context.span_id = 'b'", "context.span_id IN ('a')",
            "AND = 'a'",
        ])
    func badFilters(_ filter: String) async throws {
        try await F.withRouter(Self.catalogued) { client async throws in
            let response = try await Self.spans(client, Self.search(filter: filter))
            try F.expectProblem(response, status: 400, rule: "unsupported-filter", detail: "filter:")
        }
    }

    @Test(
        "search bodies the contract refuses",
        arguments: [
            ("/v2/spans", "{", 400, "malformed-json"),
            (
                "/v2/spans", #"{"start_time":"2026-01-15T00:00:00Z","end_time":"2026-01-16T00:00:00Z"}"#, 400,
                "missing-field"
            ),
            (
                "/v2/spans", #"{"project_id":"p","start_time":"x","end_time":"2026-01-16T00:00:00Z"}"#, 400,
                "invalid-time"
            ),
            (
                "/v2/spans",
                #"{"project_id":"p","start_time":"2026-01-15 00:00:00","end_time":"2026-01-16T00:00:00Z"}"#, 422,
                "time-offset"
            ),
            (
                "/v2/spans",
                #"{"project_id":"p","start_time":"2026-01-17T00:00:00Z","end_time":"2026-01-16T00:00:00Z"}"#, 422,
                "time-order"
            ),
            (
                "/v2/spans",
                #"{"project_id":"","start_time":"2026-01-15T00:00:00Z","end_time":"2026-01-16T00:00:00Z"}"#, 422,
                "empty-id"
            ),
            (
                "/v2/spans",
                #"{"project_id":"p","start_time":"2026-01-15T00:00:00Z","end_time":"2026-01-16T00:00:00Z","included_columns":[]}"#,
                422, "list-limit"
            ),
            (
                "/v2/spans",
                #"{"project_id":"p","start_time":"2026-01-15T00:00:00Z","end_time":"2026-01-16T00:00:00Z","filter":7}"#,
                400, "wrong-type"
            ),
            (
                "/v2/spans",
                #"{"project_id":"p","start_time":"2026-01-15T00:00:00Z","end_time":"2026-01-16T00:00:00Z","limit":7}"#,
                400, "unknown-field"
            ),
            (
                "/v2/traces",
                #"{"project_id":"p","start_time":"2026-01-15T00:00:00Z","end_time":"2026-01-16T00:00:00Z","included_columns":["name"]}"#,
                400, "unknown-field"
            ),
            (
                "/v2/spans?limit=501",
                #"{"project_id":"p","start_time":"2026-01-15T00:00:00Z","end_time":"2026-01-16T00:00:00Z"}"#, 400,
                "bad-limit"
            ),
            (
                "/v2/traces?cursor=bm9wZQ%3D%3D",
                #"{"project_id":"p","start_time":"2026-01-15T00:00:00Z","end_time":"2026-01-16T00:00:00Z"}"#, 400,
                "bad-cursor"
            ),
        ])
    func badSearchBodies(_ path: String, _ body: String, _ status: Int, _ rule: String) async throws {
        try await F.withRouter(Self.catalogued) { client async throws in
            try F.expectProblem(try await F.post(client, body, path: path), status: status, rule: rule)
        }
    }

    @Test("a catalogued dataset's examples, paged in dataset order; an unknown dataset is 404")
    func examples() async throws {
        try await F.withRouter(Self.catalogued) { client async throws in
            let encoded = "/v2/datasets/RGF0YXNldDo0MjpxYQ%3D%3D/examples"
            #expect(try await ReadEndpointTests.walk(client, encoded + "?limit=1", key: "examples") == ["q1"])
            let path = "/v2/datasets/\(F.dataset)/examples?dataset_version_id=v1&limit=3"
            #expect(try await ReadEndpointTests.walk(client, path, key: "examples") == F.ids("e", 7))
            try F.expectProblem(
                try await F.get(client, "/v2/datasets/bm9uZQ%3D%3D/examples"), status: 404, rule: "not-found")
            try F.expectProblem(
                try await F.get(client, "/v2/datasets/\(F.dataset)/examples?limit=501"), status: 400, rule: "bad-limit")
            try F.expectProblem(
                try await F.get(client, "/v2/datasets/\(F.dataset)/examples?dataset_version_id="), status: 400,
                rule: "bad-version")
        }
    }

    @Test("without a catalogue a search finds what its filter names, at the window's start")
    func withoutCatalogue() async throws {
        try await F.withRouter { client async throws in
            let filter = "context.span_id = 'x' OR context.span_id = 'y' OR attributes.session.id = 'z'"
            let spans = try Self.items(try await Self.spans(client, Self.search(filter: filter)), "spans")
            #expect(spans.count == 3)
            #expect(Set(spans.compactMap { $0["start_time"] as? String }) == [F.start])
            let ids = spans.compactMap { ($0["context"] as? [String: String])?["span_id"] }
            #expect(ids.contains("x") && ids.contains("y"))
            #expect(ids == ids.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            #expect(
                spans.compactMap { $0["attributes"] as? [String: String] }.filter { !$0.isEmpty } == [
                    ["session.id": "z"]
                ])
            #expect(try Self.spanIDs(try await Self.spans(client, Self.search(filter: "context.span_id != 'x'"))) == [])
            #expect(try Self.spanIDs(try await Self.spans(client, Self.search(filter: nil))) == [])
            let traces = try await F.post(client, Self.search(filter: "trace_id = 't'"), path: "/v2/traces")
            #expect(try Self.items(traces, "traces").compactMap { $0["trace_id"] as? String } == ["t"])
            #expect(
                try await ReadEndpointTests.walk(client, "/v2/datasets/\(F.dataset)/examples?limit=2", key: "examples")
                    == [])
            try await F.post(client, F.request(F.example(["e2", "e1"])))
            try await F.post(client, F.request(F.example(["e1", "e3"])))
            #expect(
                try await ReadEndpointTests.walk(client, "/v2/datasets/\(F.dataset)/examples?limit=2", key: "examples")
                    == ["e2", "e1", "e3"])
        }
    }
}
