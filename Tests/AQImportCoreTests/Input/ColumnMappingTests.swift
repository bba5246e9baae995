import Testing

@testable import AQImportCore

@Suite("Column detection")
struct ColumnMappingTests {
    typealias T = InputTestSupport

    @Test(
        "the kind and columns are inferred from real export headers",
        arguments: [
            (
                "context.span_id,context.trace_id,attributes.session.id,start_time,time", RecordKind.span,
                "context.span_id", "start_time"
            ),
            ("span_id,trace_id,time", .span, "span_id", "time"),
            ("context.trace_id,timestamp", .trace, "context.trace_id", "timestamp"),
            ("trace_id,time,timestamp", .trace, "trace_id", "time"),
            ("attributes.session.id,start_time", .session, "attributes.session.id", "start_time"),
            ("session_id,timestamp", .session, "session_id", "timestamp"),
        ])
    func inferProjectKinds(header: String, kind: RecordKind, id: String, time: String) throws {
        let reader = try T.open(Array((header + "\n").utf8), format: .csv)
        #expect(reader.kind == kind)
        #expect(reader.kindWasInferred)
        #expect(reader.idColumn == id)
        #expect(reader.timeColumn == time)
    }

    @Test("examples: `id` or `example_id`, no time needed, dataset scope", arguments: ["id", "example_id"])
    func examples(idColumn: String) throws {
        let text = "\(idColumn),created_at,input\nex1,1768480496123,hi\nex2,,there\n"
        let result = try T.read(text, format: .csv, options: ReadOptions(datasetID: "ds", datasetVersionID: "v2"))
        #expect(result.reader.kind == .example)
        #expect(result.reader.timeColumn == nil)
        #expect(result.records.map(\.id.text) == ["ex1", "ex2"])
        #expect(result.records.allSatisfy { $0.scope == .dataset(id: "ds", versionID: "v2") && $0.timestamp == nil })
    }

    @Test("a dataset_id column gives rows their own dataset; the --dataset-version-id stays with --dataset-id")
    func datasetColumns() throws {
        let text = "id,dataset_id,dataset_version_id\na,,\nb,other,\nc,other,v9\nd,ds,\n"
        let result = try T.read(text, format: .csv, options: ReadOptions(datasetID: "ds", datasetVersionID: "v1"))
        #expect(
            result.records.map(\.scope) == [
                .dataset(id: "ds", versionID: "v1"), .dataset(id: "other", versionID: nil),
                .dataset(id: "other", versionID: "v9"), .dataset(id: "ds", versionID: "v1"),
            ])
    }

    @Test("a row's dataset inherits the --dataset-version-id only when its bytes are the --dataset-id's")
    func datasetVersionStaysWithTheSameBytes() throws {
        let nfc = "caf\u{E9}"
        let nfd = "cafe\u{301}"
        let text = "id,dataset_id\na,\(nfd)\nb,\(nfc)\n"
        let result = try T.read(text, format: .csv, options: ReadOptions(datasetID: nfc, datasetVersionID: "v1"))
        let scopes = result.records.map(\.scope)
        #expect(scopes == [.dataset(id: nfd, versionID: nil), .dataset(id: nfc, versionID: "v1")])
    }

    @Test("--kind, --id-column and --time-column override detection")
    func overrides() throws {
        let header = Array("context.span_id,context.trace_id,my_id,when,start_time\n".utf8)
        let trace = try T.open(header, format: .csv, options: ReadOptions(kind: .trace, projectID: "p"))
        #expect(trace.kind == .trace)
        #expect(!trace.kindWasInferred)
        #expect(trace.idColumn == "context.trace_id")

        let custom = try T.open(
            header, format: .csv,
            options: ReadOptions(kind: .session, idColumn: "my_id", timeColumn: "when", projectID: "p"))
        #expect(custom.kind == .session)
        #expect(custom.idColumn == "my_id")
        #expect(custom.timeColumn == "when")

        let byName = try T.open(
            header, format: .csv, options: ReadOptions(idColumn: "context.trace_id", projectID: "p"))
        #expect(byName.kind == .trace)
        #expect(byName.kindWasInferred)
    }

    @Test("when no column fits, the error lists the file's columns")
    func noColumn() throws {
        let error = try #require(T.error("name,value\nx,1\n", format: .csv))
        #expect(error.message.contains("no id column"))
        #expect(error.message.contains("\"name\", \"value\""))
        #expect(error.line == 1)

        let semicolons = try #require(T.error("span_id;time\na;1\n", format: .csv))
        #expect(semicolons.message.contains("comma-separated"))

        let missingKind = try #require(
            T.error("name\nx\n", format: .csv, options: ReadOptions(kind: .trace, projectID: "p")))
        #expect(missingKind.message.contains("no trace id column"))
        #expect(missingKind.message.contains("\"name\""))

        let missingOverride = try #require(
            T.error("span_id,time\n", format: .csv, options: ReadOptions(idColumn: "nope")))
        #expect(missingOverride.message.contains("--id-column"))

        let ndjson = try #require(T.error("{\"x\":{\"y\":1}}\n", format: .ndjson))
        #expect(ndjson.message.contains("\"x.y\""))
        #expect(ndjson.line == 1)
    }

    @Test("a project file without a time column needs --start and --end")
    func noTimeColumn() throws {
        let error = try #require(T.error("span_id,name\na,x\n", format: .csv))
        #expect(error.message.contains("--start and --end"))
        #expect(error.message.contains("\"span_id\", \"name\""))

        let window = TimeWindow(start: T.time("2026-01-15"), end: T.time("2026-01-16"))
        let result = try T.read(
            "span_id,name\na,x\n", format: .csv, options: ReadOptions(projectID: "p", fixedWindow: window))
        #expect(result.reader.timeColumn == nil)
        #expect(result.records.map(\.timestamp) == [nil])
    }

    @Test("no project id anywhere is a file-level error; the same for datasets")
    func noScopeAtAll() throws {
        let project = try #require(T.error("span_id,time\na,1\n", format: .csv, options: ReadOptions()))
        #expect(project.message.contains("--project-id"))
        let dataset = try #require(T.error("id\na\n", format: .csv, options: ReadOptions()))
        #expect(dataset.message.contains("--dataset-id"))
    }

    @Test("a used column named twice is ambiguous; other duplicates do not matter")
    func duplicateHeaders() throws {
        let error = try #require(T.error("span_id,time,span_id\na,1,b\n", format: .csv))
        #expect(error.message.contains("appears 2 times"))
        let fine = try T.read("span_id,time,x,x\na,1,2,3\n", format: .csv)
        #expect(fine.records.count == 1)
    }

    @Test("a huge header is listed cut short")
    func hugeHeaderList() throws {
        let header = (0..<1000).map { "c\($0)" }.joined(separator: ",") + "\n"
        let error = try #require(T.error(header, format: .csv))
        #expect(error.message.contains("and 950 more"))
        #expect(error.message.count < 2000)
    }
}
