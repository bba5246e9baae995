import AQTestServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// One broken rule of POST /v2/annotation-queues/{id}/records and the answer it must get.
struct RuleCase: Sendable, CustomTestStringConvertible {
    var name: String
    var body: String
    var status: Int
    var rule: String
    var detail: String

    var testDescription: String { "\(status) \(rule): \(name)" }
}

@Suite("POST records: one contract test per rule")
struct ContractRuleTests {
    typealias F = Fixtures

    static let badRequests: [RuleCase] = [
        RuleCase(
            name: "malformed JSON", body: #"{"record_sources": ["#, status: 400, rule: "malformed-json",
            detail: "not valid JSON"),
        RuleCase(
            name: "body is not an object", body: "[]", status: 400, rule: "wrong-type", detail: "must be a JSON object"),
        RuleCase(
            name: "unknown top-level field", body: #"{"record_sources":[\#(F.span(["a"]))],"dry_run":true}"#,
            status: 400,
            rule: "unknown-field", detail: "unknown field \"dry_run\""),
        RuleCase(
            name: "record_sources missing", body: "{}", status: 400, rule: "missing-field",
            detail: "record_sources is required"),
        RuleCase(
            name: "record_sources not an array", body: #"{"record_sources":{}}"#, status: 400, rule: "wrong-type",
            detail: "record_sources must be an array"),
        RuleCase(
            name: "source not an object", body: #"{"record_sources":["SPAN"]}"#, status: 400, rule: "wrong-type",
            detail: "record_sources[0] must be an object"),
        RuleCase(
            name: "lowercase record_type", body: F.request(F.project("span", ["a"], field: "span_ids")), status: 400,
            rule: "unknown-record-type", detail: "record_sources[0]: record_type \"span\" must be uppercase"),
        RuleCase(
            name: "unknown record_type", body: F.request(F.span(["a"]), F.project("SPANS", ["a"], field: "span_ids")),
            status: 400, rule: "unknown-record-type", detail: "record_sources[1]: unknown record_type \"SPANS\""),
        RuleCase(
            name: "record_type not a string", body: #"{"record_sources":[{"record_type":1}]}"#, status: 400,
            rule: "wrong-type", detail: "record_sources[0]: record_type must be a string"),
        RuleCase(
            name: "unknown field in a source",
            body: F.request(F.span(["a"]).replacingOccurrences(of: "}", with: #","dataset_id":"x"}"#)), status: 400,
            rule: "unknown-field", detail: "record_sources[0]: unknown field \"dataset_id\" for a SPAN source"),
        RuleCase(
            name: "required field missing",
            body:
                #"{"record_sources":[{"record_type":"TRACE","project_id":"p","start_time":"\#(F.start)","trace_ids":["t"]}]}"#,
            status: 400, rule: "missing-field", detail: "record_sources[0]: end_time is required"),
        RuleCase(
            name: "ids not an array",
            body: F.request(F.span(["a"]).replacingOccurrences(of: #"["a"]"#, with: #""a""#)), status: 400,
            rule: "wrong-type", detail: "record_sources[0]: span_ids must be an array"),
        RuleCase(
            name: "id not a string",
            body: F.request(F.span(["a"]).replacingOccurrences(of: #"["a"]"#, with: "[\"a\",7]")),
            status: 400, rule: "wrong-type", detail: "record_sources[0]: span_ids[1] must be a string, got number"),
        RuleCase(
            name: "project_id not a string",
            body: F.request(F.span(["a"]).replacingOccurrences(of: #""\#(F.project)""#, with: "true")), status: 400,
            rule: "wrong-type", detail: "record_sources[0]: project_id must be a string, got boolean"),
        RuleCase(
            name: "time not a date-time", body: F.request(F.span(["a"], start: "yesterday")), status: 400,
            rule: "invalid-time", detail: "record_sources[0]: start_time \"yesterday\" is not an RFC 3339 date-time"),
    ]

    static let unprocessable: [RuleCase] = [
        RuleCase(
            name: "no sources", body: #"{"record_sources":[]}"#, status: 422, rule: "source-count",
            detail: "0 sources, a request carries 1 to 2"),
        RuleCase(
            name: "three sources", body: F.request(F.span(["a"]), F.span(["b"]), F.span(["c"])), status: 422,
            rule: "source-count", detail: "3 sources"),
        RuleCase(
            name: "501 span ids", body: F.request(F.span(F.ids("s", 501))), status: 422, rule: "list-limit",
            detail: "record_sources[0]: span_ids has 501 ids, a SPAN source takes 1 to 500"),
        RuleCase(
            name: "empty span id list", body: F.request(F.span([])), status: 422, rule: "list-limit",
            detail: "record_sources[0]: span_ids has 0 ids"),
        RuleCase(
            name: "501 trace ids", body: F.request(F.project("TRACE", F.ids("t", 501))), status: 422,
            rule: "list-limit",
            detail: "record_sources[0]: trace_ids has 501 ids"),
        RuleCase(
            name: "101 session ids", body: F.request(F.project("SESSION", F.ids("s", 101))), status: 422,
            rule: "list-limit", detail: "record_sources[0]: session_ids has 101 ids, a SESSION source takes 1 to 100"),
        RuleCase(
            name: "501 example ids", body: F.request(F.span(["a"]), F.example(F.ids("e", 501))), status: 422,
            rule: "list-limit", detail: "record_sources[1]: example_ids has 501 ids"),
        RuleCase(
            name: "more than 500 records in total",
            body: F.request(F.span(F.ids("s", 300)), F.example(F.ids("e", 201))),
            status: 422, rule: "total-records", detail: "501 records in total, the limit is 500"),
        RuleCase(
            name: "more than 100 sessions in total",
            body: F.request(F.project("SESSION", F.ids("a", 60)), F.project("SESSION", F.ids("b", 41))), status: 422,
            rule: "total-sessions", detail: "101 session ids in total"),
        RuleCase(
            name: "start_time equal to end_time", body: F.request(F.span(["a"], start: F.start, end: F.start)),
            status: 422, rule: "time-order", detail: "record_sources[0]: start_time is not before end_time"),
        RuleCase(
            name: "start_time after end_time", body: F.request(F.span(["a"], start: F.end, end: F.start)), status: 422,
            rule: "time-order", detail: "record_sources[0]: start_time is not before end_time"),
        RuleCase(
            name: "window over 7 days",
            body: F.request(F.span(["a"]), F.span(["b"], start: "2026-01-01T00:00:00Z", end: "2026-01-08T00:00:01Z")),
            status: 422, rule: "window", detail: "record_sources[1]: window longer than 7 days"),
        RuleCase(
            name: "window over 7 days through offsets",
            body: F.request(F.span(["a"], start: "2026-01-01T00:00:00+01:00", end: "2026-01-08T00:00:00+00:00")),
            status: 422, rule: "window", detail: "record_sources[0]: window longer than 7 days"),
        RuleCase(
            name: "empty span id", body: F.request(F.span(["a", ""])), status: 422, rule: "empty-id",
            detail: "record_sources[0]: span_ids[1] is an empty string"),
        RuleCase(
            name: "empty example id", body: F.request(F.example(["e", ""])), status: 422, rule: "empty-id",
            detail: "record_sources[0]: example_ids[1] is an empty string"),
        RuleCase(
            name: "empty project id", body: F.request(F.project("SPAN", ["a"], project: "")), status: 422,
            rule: "empty-id", detail: "record_sources[0]: project_id is an empty string"),
        RuleCase(
            name: "start_time without offset", body: F.request(F.span(["a"], start: "2026-01-15T00:00:00")),
            status: 422, rule: "time-offset",
            detail: "record_sources[0]: start_time \"2026-01-15T00:00:00\" has no UTC offset"),
        RuleCase(
            name: "end_time without offset (pandas shape)",
            body: F.request(F.span(["a"], end: "2026-01-16 00:00:00.123456")),
            status: 422, rule: "time-offset", detail: "record_sources[0]: end_time"),
        RuleCase(
            name: "EXAMPLE without example_ids and no catalogue", body: F.request(F.example(nil)), status: 422,
            rule: "whole-dataset", detail: "record_sources[0]: EXAMPLE source without example_ids"),
    ]

    @Test("400 for a malformed or mis-shaped body", arguments: badRequests)
    func badRequest(_ rule: RuleCase) async throws {
        try await Fixtures.withRouter { client async throws in
            let response = try await Fixtures.post(client, rule.body)
            try Fixtures.expectProblem(response, status: rule.status, rule: rule.rule, detail: rule.detail)
        }
    }

    @Test("422 for each semantic rule", arguments: unprocessable)
    func unprocessableContent(_ rule: RuleCase) async throws {
        try await Fixtures.withRouter { client async throws in
            let response = try await Fixtures.post(client, rule.body)
            try Fixtures.expectProblem(response, status: rule.status, rule: rule.rule, detail: rule.detail)
        }
    }

    @Test("a rejected request stores nothing")
    func rejectedStoresNothing() async throws {
        let server = try TestServer()
        try await server.makeApplication().test(.router) { client async throws in
            let response = try await Fixtures.post(client, F.request(F.span(["ok"]), F.span(["bad"], start: F.end)))
            #expect(response.status == .unprocessableContent)
        }
        #expect(server.control.stats().recordsStoredTotal == 0)
    }

    @Test("a window of exactly 7 days, fractions and offsets are accepted")
    func boundaries() async throws {
        try await Fixtures.withRouter { client async throws in
            let exact = F.span(["a"], start: "2026-01-01T00:00:00Z", end: "2026-01-08T00:00:00Z")
            let offsets = F.project(
                "TRACE", ["t"], start: "2026-01-01T00:00:00.5+05:30", end: "2026-01-02T00:00:00.123456789z")
            let response = try await Fixtures.post(client, F.request(exact, offsets))
            #expect(response.status == .created)
        }
    }

    @Test("404 problem for an unknown queue")
    func unknownQueue() async throws {
        try await Fixtures.withRouter { client async throws in
            let response = try await Fixtures.post(
                client, F.request(F.span(["a"])),
                path: "/v2/annotation-queues/QW5ub3RhdGlvblF1ZXVlOjk6bm9wZQ%3D%3D/records")
            try Fixtures.expectProblem(
                response, status: 404, rule: "not-found", detail: "QW5ub3RhdGlvblF1ZXVlOjk6bm9wZQ==")
        }
    }

    @Test("path ids are percent-decoded (and plain ones work too)")
    func percentDecoding() async throws {
        try await Fixtures.withRouter { client async throws in
            let encoded = try await Fixtures.post(client, F.request(F.span(["a"])))
            #expect(encoded.status == .created)
            let plain = try await Fixtures.post(
                client, F.request(F.span(["b"])), path: "/v2/annotation-queues/\(F.queueID)/records")
            #expect(plain.status == .created)
        }
    }

    @Test("201 records carry every required field, uppercase enums and the source id in data")
    func createdRecordShape() async throws {
        try await Fixtures.withRouter { client async throws in
            let body = F.request(F.project("SESSION", ["sess-1"]), F.example(["ex-1"]))
            let response = try await Fixtures.post(client, body)
            #expect(response.status == .created)
            #expect(response.headers[.contentType] == "application/json")
            var records = try #require(try F.object(response.body)["record_sources"] as? [[String: Any]])
            #expect(records.count == 2)
            let spans = try await Fixtures.post(client, F.request(F.span(["s-1"]), F.project("TRACE", ["t-1"])))
            records += try #require(try F.object(spans.body)["record_sources"] as? [[String: Any]])
            let required = [
                "id", "annotation_queue_id", "source_type", "data", "annotations", "trace_annotations", "evaluations",
                "assigned_users",
            ]
            for record in records {
                for field in required { #expect(record[field] != nil, "missing \(field)") }
                #expect(record["annotation_queue_id"] as? String == F.queueID)
            }
            let shapes = records.map { record in
                "\(record["source_type"]!)/\(record["granularity"] ?? "-")/\((record["data"] as? [String: String]) ?? [:])"
            }
            #expect(
                shapes == [
                    "SPANS/SESSION/[\"attributes.session.id\": \"sess-1\"]", "DATASET/-/[\"id\": \"ex-1\"]",
                    "SPANS/SPAN/[\"context.span_id\": \"s-1\"]", "SPANS/TRACE/[\"context.trace_id\": \"t-1\"]",
                ])
            #expect(Set(records.compactMap { $0["id"] as? String }).count == 4)
        }
    }
}
