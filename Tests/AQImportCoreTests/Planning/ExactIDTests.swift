import Foundation
import Testing

@testable import AQImportCore

/// Ids and scopes are opaque bytes: canonically equivalent spellings are distinct everywhere.
@Suite("Ids and scopes by their bytes")
struct ExactIDTests {
    /// (NFC, NFD) café, and U+00C5 (Å) beside U+212B (the Angstrom sign, which normalizes to it).
    static let pairs: [(String, String)] = [("caf\u{E9}", "cafe\u{301}"), ("\u{C5}", "\u{212B}")]

    static func record(_ id: String, scope: Scope = .project(id: "P"), seconds: Int64 = 1_767_225_600) -> RecordRef {
        RecordRef(
            kind: .span, id: RecordID(id), scope: scope, timestamp: Timestamp(secondsSinceEpoch: seconds),
            origin: RowOrigin(fileIndex: 0, line: 1))
    }

    @Test("the pairs are equal Strings but distinct ids, scopes and keys", arguments: pairs)
    func distinct(a: String, b: String) {
        #expect(a == b, "the premise: Swift's String equality is canonical equivalence")
        #expect(RecordID(a) != RecordID(b))
        #expect(Set([RecordID(a), RecordID(b)]).count == 2)
        #expect(Scope.project(id: a) != Scope.project(id: b))
        #expect(Set([Scope.project(id: a), Scope.project(id: b)]).count == 2)
        #expect(Scope.dataset(id: "d", versionID: a) != Scope.dataset(id: "d", versionID: b))
        #expect(ExactText(a) != ExactText(b))
        #expect((RecordID(a) < RecordID(b)) != (RecordID(b) < RecordID(a)), "a strict order between them")
        #expect(RecordID(a) == RecordID(String(a)))
    }

    @Test("the planner keeps both ids of a pair and sends each once", arguments: pairs)
    func planner(a: String, b: String) throws {
        var planner = Planner()
        let added = [planner.add(Self.record(a)), planner.add(Self.record(b)), planner.add(Self.record(a))]
        #expect(added == [true, true, false])
        #expect(planner.distinctCount == 2)
        let plan = planner.plan()
        let ids = plan.requests.flatMap { $0.sources.flatMap(\.ids) }
        #expect(ids.count == 2)
        #expect(Set(ids.map { Array($0.text.utf8) }) == [Array(a.utf8), Array(b.utf8)])
        // The request body holds both spellings' bytes.
        let bodyBytes = try #require(plan.requests.first).body
        #expect(bodyBytes.firstRange(of: Array(a.utf8)) != nil)
        #expect(bodyBytes.firstRange(of: Array(b.utf8)) != nil)
    }

    @Test("two projects whose ids are a pair are two sources", arguments: pairs)
    func scopes(a: String, b: String) {
        var planner = Planner()
        planner.add(Self.record("x", scope: .project(id: a)))
        planner.add(Self.record("x", scope: .project(id: b)))
        #expect(planner.distinctCount == 2)
        let sources = planner.plan().requests.flatMap(\.sources)
        #expect(Set(sources.map { Array($0.scope.description.utf8) }).count == 2)
    }

    @Test("CSV and NDJSON rows with the pair's ids are two records, no duplicate", arguments: pairs)
    func readers(a: String, b: String) throws {
        let csv = "span_id,start_time\n\(a),1768435200\n\(b),1768435200\n"
        let ndjson =
            "{\"span_id\":\"\(a)\",\"start_time\":1768435200}\n{\"span_id\":\"\(b)\",\"start_time\":1768435200}\n"
        for (text, format) in [(csv, InputFormat.csv), (ndjson, .ndjson)] {
            let result = try InputTestSupport.read(text, format: format)
            var planner = Planner()
            let inserted = result.records.map { planner.add($0) }
            #expect(inserted == [true, true], "\(format)")
        }
    }

    @Test("ids the server refused are matched by kind and exact bytes")
    func refusals() {
        let (a, b) = Self.pairs[0]
        let refusals = ServerRefusals([
            ServerRejection(kind: .span, id: a, status: 422, detail: "first"),
            ServerRejection(kind: .span, id: a, status: 400, detail: "second"),
        ])
        #expect(refusals.count == 1)
        #expect(refusals[.span, a]?.detail == "first")
        #expect(refusals[.span, b] == nil)
        #expect(refusals[.trace, a] == nil)
    }

    @Test("a second reading marks only the refused spelling's row")
    func refusedRowOnly() throws {
        let (a, b) = Self.pairs[0]
        var options = ReadOptions(projectID: "p1")
        options.refusedByServer = ServerRefusals([ServerRejection(kind: .span, id: b, status: 422, detail: "no")])
        let result = try InputTestSupport.read(
            "span_id,start_time\n\(a),1768435200\n\(b),1768435200\n", format: .csv, options: options)
        #expect(result.records.map { Array($0.id.text.utf8) } == [Array(a.utf8)])
        #expect(result.rejections.map(\.line) == [3])
    }

    @Test("ASCII ids order as before: byte order is String order there")
    func asciiOrder() {
        let ids = ["b", "a", "B", "a b", "ab", "0", "~", "a1", "0123456789abcdef", "0123456789abcdeg"]
        let sorted = ids.map(RecordID.init).sorted().map(\.text)
        #expect(sorted == ids.sorted())
    }
}
