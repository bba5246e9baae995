import Foundation
import Testing

@testable import AQImportCore

@Suite("Journal resume")
struct JournalResumeTests {
    typealias F = JournalFixture

    @Test func changedInputOptionAndQueueAreEachNamed() async throws {
        let fixture = try JournalFixture()
        try await fixture.writeSampleJournal()
        let changed = fixture.header(
            queue: "queue-2", options: ["kind": "trace", "project-id": "p1", "dataset-id": "d1"],
            inputs: [F.fingerprint("spans.csv", size: 1300, sha: String(repeating: "cd", count: 32))])

        let mismatch = try await #require(throws: JournalMismatch.self) {
            _ = try await Journal.open(path: fixture.journalPath, header: changed)
        }
        #expect(
            mismatch.differences == [
                #"queue changed: "queue-1" -> "queue-2""#,
                #"option dataset-id added: "d1""#,
                #"option kind changed: "span" -> "trace""#,
                "input spans.csv changed: size 1234 -> 1300 bytes, SHA-256 abababababab… -> cdcdcdcdcdcd…",
            ])
        #expect(mismatch.description.contains("--restart"))
        #expect(mismatch.description.contains(fixture.journalPath))
        // Refusing leaves the journal as it was.
        #expect(try Journal.replay(path: fixture.journalPath)?.runs == 1)
    }

    @Test func addedRemovedAndTouchedInputsAreNamed() async throws {
        let fixture = try JournalFixture()
        let old = fixture.header(inputs: [F.fingerprint("a.csv"), F.fingerprint("b.csv")])
        let (journal, _) = try await Journal.open(path: fixture.journalPath, header: old)
        try await journal.close()
        var touched = F.fingerprint("a.csv")
        touched.modificationTime = Date(timeIntervalSince1970: 1_790_000_500)
        touched.sha256 = nil  // content not hashed: the modification time is all there is to compare
        let new = fixture.header(inputs: [touched, F.fingerprint("c.ndjson")])

        let mismatch = try await #require(throws: JournalMismatch.self) {
            _ = try await Journal.open(path: fixture.journalPath, header: new)
        }
        #expect(mismatch.differences.count == 3)
        #expect(mismatch.differences[0].hasPrefix("input a.csv changed: modified "))
        #expect(mismatch.differences[1] == "input b.csv removed")
        #expect(mismatch.differences[2] == "input c.ndjson added")
    }

    @Test func aTouchedInputWithTheSameContentResumes() async throws {
        let fixture = try JournalFixture()
        let old = fixture.header(inputs: [F.fingerprint("a.csv")])
        let (journal, _) = try await Journal.open(path: fixture.journalPath, header: old)
        try await journal.close()
        var touched = F.fingerprint("a.csv")
        touched.modificationTime = Date(timeIntervalSince1970: 1_790_000_500)
        let (again, _) = try await Journal.open(path: fixture.journalPath, header: fixture.header(inputs: [touched]))
        try await again.close()
        var edited = touched
        edited.sha256 = String(repeating: "e", count: 64)
        let mismatch = try await #require(throws: JournalMismatch.self) {
            _ = try await Journal.open(path: fixture.journalPath, header: fixture.header(inputs: [edited]))
        }
        #expect(mismatch.differences[0].contains("SHA-256"))
    }

    @Test func sameRunResumesWhateverTheToolVersionAndTime() async throws {
        let fixture = try JournalFixture()
        try await fixture.writeSampleJournal()
        var header = fixture.header()
        header.toolVersion = "0.2.0"
        header.createdAt = Date()
        let (journal, state) = try await Journal.open(path: fixture.journalPath, header: header)
        try await journal.close()
        #expect(state.header.toolVersion == "0.1.0-test")
        #expect(state.done.count == 3)
    }

    @Test func realFileFingerprintSurvivesTheJournal() async throws {
        let fixture = try JournalFixture()
        let input = fixture.directory + "/spans.csv"
        try Data("span_id,start_time\nabc,2026-01-01T00:00:00Z\n".utf8).write(to: URL(fileURLWithPath: input))
        let fingerprint = try InputFingerprint.ofFile(atPath: input)
        #expect(fingerprint.size == 44)
        #expect(fingerprint.sha256?.count == 64)
        let (journal, _) = try await Journal.open(
            path: fixture.journalPath, header: fixture.header(inputs: [fingerprint]))
        try await journal.close()

        let (again, _) = try await Journal.open(
            path: fixture.journalPath, header: fixture.header(inputs: [try InputFingerprint.ofFile(atPath: input)]))
        try await again.close()

        try Data("span_id,start_time\nabd,2026-01-01T00:00:00Z\n".utf8).write(to: URL(fileURLWithPath: input))
        let mismatch = try await #require(throws: JournalMismatch.self) {
            _ = try await Journal.open(
                path: fixture.journalPath,
                header: fixture.header(inputs: [try InputFingerprint.ofFile(atPath: input)]))
        }
        #expect(mismatch.differences.count == 1)
        #expect(mismatch.differences[0].contains("SHA-256"))
    }

    @Test func standardInputIsFingerprintedOnceRead() async throws {
        let fixture = try JournalFixture()
        let pending = fixture.header(inputs: [.pending(path: "-")])
        let (journal, _) = try await Journal.open(path: fixture.journalPath, header: pending)
        try await journal.sending(F.requestID(1))
        let read = InputFingerprint(
            path: "-", size: 99, modificationTime: nil, sha256: String(repeating: "1", count: 64))
        try await journal.recordInput(read)
        try await journal.close()
        #expect(try Journal.replay(path: fixture.journalPath)?.header.inputs == [read])

        // Resumed with the same stdin, read again before comparing.
        let (same, state) = try await Journal.open(path: fixture.journalPath, header: fixture.header(inputs: [read]))
        try await same.close()
        #expect(state.unsettled == [F.requestID(1)])

        // Resumed before reading stdin: compared when the caller records it.
        let (later, _) = try await Journal.open(path: fixture.journalPath, header: pending)
        var other = read
        other.sha256 = String(repeating: "2", count: 64)
        let mismatch = try await #require(throws: JournalMismatch.self) { try await later.recordInput(other) }
        #expect(mismatch.differences == ["input - changed: SHA-256 111111111111… -> 222222222222…"])
        try await later.recordInput(read)
        try await later.close()
    }

    @Test func restartKeepsTheOldJournalUnderANewName() async throws {
        let fixture = try JournalFixture()
        try await fixture.writeSampleJournal()
        let old = fixture.contents()
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let changed = fixture.header(queue: "queue-2")

        let (journal, state, archived) = try await Journal.restart(
            path: fixture.journalPath, header: changed, now: now)
        try await journal.close()
        #expect(archived == fixture.journalPath + ".old-20260921T141320Z")
        let archivedPath = try #require(archived)
        let archivedContent = try #require(FileManager.default.contents(atPath: archivedPath))
        #expect(String(decoding: archivedContent, as: UTF8.self) == old)
        #expect(state.done.isEmpty)
        #expect(try Journal.replay(path: fixture.journalPath)?.header.queueID == "queue-2")

        let (second, _, archivedAgain) = try await Journal.restart(
            path: fixture.journalPath, header: changed, now: now)
        try await second.close()
        #expect(archivedAgain == fixture.journalPath + ".old-20260921T141320Z-2")
    }

    @Test func restartWithoutAJournalJustCreatesOne() async throws {
        let fixture = try JournalFixture()
        let (journal, _, archived) = try await Journal.restart(path: fixture.journalPath, header: fixture.header())
        try await journal.close()
        #expect(archived == nil)
        #expect(fixture.lines().count == 2)
    }

    @Test func aSecondProcessCannotOpenAJournalInUse() async throws {
        let fixture = try JournalFixture()
        let (journal, _) = try await Journal.open(path: fixture.journalPath, header: fixture.header())
        await #expect(throws: JournalError.locked(path: fixture.journalPath)) {
            _ = try await Journal.open(path: fixture.journalPath, header: fixture.header())
        }
        #expect(throws: JournalError.locked(path: fixture.journalPath)) {
            _ = try Journal.archive(path: fixture.journalPath)
        }
        try await journal.close()
        let (again, _) = try await Journal.open(path: fixture.journalPath, header: fixture.header())
        try await again.close()
    }

    @Test func defaultPathIsNamedAfterQueueAndInputs() {
        let path = Journal.defaultPath(
            queueID: "q-123", inputs: ["data/spans.csv", "/abs/more.ndjson"], workingDirectory: "/home/me")
        #expect(path.hasPrefix(".aq-import/q-123-spans.csv-"))
        #expect(path.hasSuffix(".journal"))
        #expect(path.count == ".aq-import/q-123-spans.csv-".count + 12 + ".journal".count)
        // The same files named differently give the same journal; anything else another one.
        #expect(
            path
                == Journal.defaultPath(
                    queueID: "q-123", inputs: ["/home/me/data/spans.csv", "/abs/./more.ndjson"],
                    workingDirectory: "/elsewhere"))
        #expect(
            path
                != Journal.defaultPath(
                    queueID: "q-124", inputs: ["data/spans.csv", "/abs/more.ndjson"], workingDirectory: "/home/me"))
        #expect(
            path
                != Journal.defaultPath(queueID: "q-123", inputs: ["data/spans.csv"], workingDirectory: "/home/me"))
        #expect(
            Journal.defaultPath(queueID: "a/b c", inputs: ["-"], directory: "/tmp/j", workingDirectory: "/")
                .hasPrefix("/tmp/j/a_b_c-stdin-"))
    }
}
