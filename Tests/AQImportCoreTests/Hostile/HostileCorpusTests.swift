import AQImportCore
import Foundation
import Testing

/// Every input of the hostile corpus, read through the public in-memory reader at several chunk
/// sizes: the expected outcome, the same outcome at every chunk size, and never a crash or a hang.
@Suite("Hostile inputs: the corpus, core level")
struct HostileCorpusTests {
    struct Outcome: Equatable {
        var ids: [String] = []
        var rejected: [Int: String] = [:]
        var files: Set<String> = []
        var error: InputError?
    }

    static func read(_ bytes: [UInt8], _ c: HostileCase, chunkSize: Int) -> Outcome {
        var outcome = Outcome()
        do {
            var reader = try ExportReader(
                bytes: bytes, name: "hostile.\(c.format.rawValue)", format: c.format, options: c.options,
                chunkSize: chunkSize)
            _ = try reader.read { event in
                switch event {
                case .record(let record):
                    outcome.ids.append(record.id.text)
                case .rejected(let rejection):
                    outcome.rejected[rejection.line] = rejection.reason.code
                    outcome.files.insert(rejection.file)
                case .records(let run):
                    outcome.ids += run.entries.map { RecordID.hex64($0.id).text }
                }
            }
        } catch let error as InputError {
            outcome.error = error
        } catch {
            outcome.error = InputError(file: "?", message: "not an InputError: \(error)")
        }
        return outcome
    }

    @Test("the corpus holds at least 30 inputs, each named once")
    func size() {
        #expect(HostileCorpus.cases.count >= 30)
        #expect(Set(HostileCorpus.cases.map(\.name)).count == HostileCorpus.cases.count)
    }

    @Test("each hostile input gets its expected outcome", .timeLimit(.minutes(5)), arguments: HostileCorpus.cases)
    func hostile(_ c: HostileCase) throws {
        let bytes = c.bytes()
        let name = "hostile.\(c.format.rawValue)"
        var first: Outcome?
        for chunkSize in c.chunkSizes {
            let outcome = Self.read(bytes, c, chunkSize: chunkSize)
            switch c.expected {
            case .refused(let line, let message):
                let error = try #require(outcome.error, "chunk \(chunkSize): not refused; read \(outcome.ids)")
                #expect(error.file == name, "\(error)")
                #expect(error.line == line, "\(error)")
                #expect(message.isEmpty || error.message.contains(message), "\(error.message)")
                #expect((error.errorDescription ?? "").hasPrefix(line.map { "\(name):\($0): " } ?? "\(name): "))
            case .rows(let ids, let rejected):
                #expect(outcome.error == nil, "chunk \(chunkSize): \(String(describing: outcome.error))")
                #expect(outcome.ids == ids, "chunk \(chunkSize)")
                #expect(outcome.rejected == rejected, "chunk \(chunkSize)")
                #expect(outcome.files.isSubset(of: [name]))
            }
            if let first { #expect(outcome == first, "chunk \(chunkSize) differs from chunk \(c.chunkSizes[0])") }
            first = first ?? outcome
        }
    }

    @Test("a bare CR ends a row: the rejected row after it is reported whole, at every chunk size")
    func bareCR() {
        // The rejection's original fields were the previous row's, varying with the chunk size, until
        // segments stopped at a bare CR too.
        let text = "span_id,start_time,note\na,2026-01-15T00:00:00Z,x\rtail\nb,2026-01-15T00:00:00Z,y\n"
        let c = HostileCase("bare CR", .csv, expected: .rows(ids: [], rejected: [:]), text: text)
        var originals: [Int: [OriginalRow]] = [:]
        for chunkSize in [1, 7, 65_536] {
            var ids: [String] = []
            var reader = try? ExportReader(
                bytes: Array(text.utf8), name: "cr.csv", format: .csv, options: c.options, chunkSize: chunkSize)
            _ = try? reader?.read { event in
                switch event {
                case .record(let record): ids.append(record.id.text)
                case .rejected(let rejection): originals[chunkSize, default: []].append(rejection.original)
                case .records(let run): ids += run.entries.map { RecordID.hex64($0.id).text }
                }
            }
            #expect(ids == ["a", "b"])
        }
        for chunkSize in [1, 7, 65_536] {
            #expect(
                originals[chunkSize] == [.csv(header: ["span_id", "start_time", "note"], fields: ["tail"])],
                "chunk \(chunkSize)")
        }
    }

    @Test("a bare CR never shifts cells: the fuzzer's input gives the same records at every chunk size")
    func bareCRShift() {
        // Found by FuzzCSV: read 55 bytes at a time, the ragged row "s-002,2026-40.482071,2,..." became a
        // session record whose id was its time cell, until segments stopped at a bare CR too.
        let base64 =
            "c2Vzc2lvbl9pZCxzdGFydF90aW1lLG51bV8AAAAAAAAAUHJvanQNZnNjZWUNcy0wMDIsMjAyNi00MC40ODIwNzEsMixUVzlrWld3Nk1UeE9uQnklMlJEYUdGMA0Nc2Vzcy0wMDIsMjAyNi00MC40ODIwNzEsMixUVzlrWld3Nk1UQXhPbkJhR0YwDQo="
        let bytes = [UInt8](Data(base64Encoded: base64)!)
        func ids(_ chunkSize: Int) -> [String] {
            var ids: [String] = []
            var reader = try? ExportReader(
                bytes: bytes, name: "fuzz.csv", format: .csv, options: ReadOptions(projectID: "p"), chunkSize: chunkSize
            )
            _ = try? reader?.read { event in
                if case .record(let record) = event { ids.append(record.id.text) }
            }
            return ids
        }
        let whole = ids(65_536)
        #expect(!whole.contains("2026-40.482071"))
        for chunkSize in [1, 7, 55] { #expect(ids(chunkSize) == whole, "chunk \(chunkSize)") }
    }
}
