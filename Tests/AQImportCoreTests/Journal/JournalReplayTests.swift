import Foundation
import Testing

@testable import AQImportCore

@Suite("Journal replay")
struct JournalReplayTests {
    typealias F = JournalFixture

    @Test func writeAndReplayRoundTrip() async throws {
        let fixture = try JournalFixture()
        try await fixture.writeSampleJournal()

        let state = try #require(try Journal.replay(path: fixture.journalPath))
        #expect(state.header == fixture.header())
        #expect(state.done.count == 3)
        #expect(state.done[F.requestID(1)] == .init(status: 201, created: 500))
        #expect(state.done[F.requestID(2)] == .init(status: 200, created: 0))
        #expect(state.rejected[F.requestID(4)]?.rejections.map(\.id) == ["bad-1"])
        #expect(state.rejected[F.requestID(4)]?.rejections.first?.detail == "span not found")
        #expect(state.unsettled == [F.requestID(5)])
        #expect(state.isSettled(F.requestID(4)))
        #expect(!state.isSettled(F.requestID(5)))
        #expect(state.recordsCreated == 1499)
        #expect(state.rejectedIDCount == 1)
        #expect(state.sentLines == 5)
        #expect(state.sentAfterSettled == 0)
        #expect(state.lineCount == 1 + 2 * 5 - 1)
        #expect(state.ignoredTailBytes == 0)
        #expect(state.runs == 1)
    }

    @Test func everyLineIsChecksummedJSON() async throws {
        let fixture = try JournalFixture()
        try await fixture.writeSampleJournal()
        let lines = fixture.lines()
        #expect(lines.last == "")
        for line in lines.dropLast() {
            #expect(line.hasPrefix(#"{"c":""#))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["type"] is String)
        }
        #expect(lines[0].contains(#""type":"header""#))
        #expect(lines[1].contains(#""type":"sent""#))
        #expect(lines[2].contains(#""status":201"#))
    }

    @Test func resumeReplaysAndCountsRuns() async throws {
        let fixture = try JournalFixture()
        try await fixture.writeSampleJournal()
        let (journal, state) = try await Journal.open(path: fixture.journalPath, header: fixture.header())
        #expect(state.unsettled == [F.requestID(5)])
        try await journal.sending(F.requestID(5))
        try await journal.delivered(F.requestID(5), status: 201, created: 7)
        try await journal.finish()
        try await journal.close()

        let replayed = try #require(try Journal.replay(path: fixture.journalPath))
        #expect(replayed.runs == 2)
        #expect(replayed.unsettled.isEmpty)
        #expect(replayed.done.count == 4)
        #expect(replayed.finished)
        #expect(replayed.sentAfterSettled == 0)
    }

    @Test func sendingAgainAfterDoneIsCounted() async throws {
        let fixture = try JournalFixture()
        try await fixture.writeSampleJournal()
        let (journal, _) = try await Journal.open(path: fixture.journalPath, header: fixture.header())
        try await journal.sending(F.requestID(1))
        try await journal.close()
        let state = try #require(try Journal.replay(path: fixture.journalPath))
        #expect(state.sentAfterSettled == 1)
        #expect(state.isSettled(F.requestID(1)))
    }

    @Test func tornLastLineIsIgnoredAndTruncatedBeforeAppending() async throws {
        let fixture = try JournalFixture()
        try await fixture.writeSampleJournal()
        let cleanLength = fixture.contents().utf8.count
        try fixture.appendRaw(#"{"c":"0badf00d","id":"00112233"#)

        let state = try #require(try Journal.replay(path: fixture.journalPath))
        #expect(state.ignoredTailBytes == 30)
        #expect(state.validLength == Int64(cleanLength))
        #expect(state.done.count == 3)

        let (journal, _) = try await Journal.open(path: fixture.journalPath, header: fixture.header())
        try await journal.sending(F.requestID(6))
        try await journal.close()
        #expect(!fixture.contents().contains("0badf00d"))
        let after = try #require(try Journal.replay(path: fixture.journalPath))
        #expect(after.ignoredTailBytes == 0)
        #expect(after.unsettled == [F.requestID(5), F.requestID(6)])
    }

    @Test(arguments: [
        "garbage that is not json\n",
        "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
        #"{"c":"00000000","id":"0af3","type":"sent"}"# + "\n",
    ])
    func corruptLastLineIsIgnored(tail: String) async throws {
        let fixture = try JournalFixture()
        try await fixture.writeSampleJournal()
        try fixture.appendRaw(tail)
        let state = try #require(try Journal.replay(path: fixture.journalPath))
        #expect(state.ignoredTailBytes == Int64(tail.utf8.count))
        #expect(state.unsettled == [F.requestID(5)])
    }

    @Test func damagedMiddleLineIsAnErrorNamingTheLine() async throws {
        let fixture = try JournalFixture()
        try await fixture.writeSampleJournal()
        var lines = fixture.lines()
        lines[3] = String(lines[3].prefix(20))
        fixture.write(lines.joined(separator: "\n"))

        let error = try #require(throws: JournalError.self) { try Journal.replay(path: fixture.journalPath) }
        guard case .damagedLine(_, let line, let problem) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(line == 4)
        #expect(problem.contains("not valid JSON"))
        #expect(error.localizedDescription.contains("line 4"))
        await #expect(throws: JournalError.self) {
            _ = try await Journal.open(path: fixture.journalPath, header: fixture.header())
        }
    }

    @Test func editedLineIsDetectedByItsChecksumAndNamed() async throws {
        let fixture = try JournalFixture()
        try await fixture.writeSampleJournal()
        var lines = fixture.lines()
        #expect(lines[4].contains(#""status":200"#))
        lines[4] = lines[4].replacingOccurrences(of: #""status":200"#, with: #""status":201"#)
        fixture.write(lines.joined(separator: "\n"))

        let error = try #require(throws: JournalError.self) { try Journal.replay(path: fixture.journalPath) }
        #expect(
            error
                == .damagedLine(
                    path: fixture.journalPath, line: 5,
                    problem: "the checksum does not match (the line was edited or damaged)"))
        let message = error.localizedDescription
        #expect(message.contains("line 5"))
        #expect(message.contains("checksum does not match"))
        #expect(message.contains(fixture.journalPath))
    }

    @Test func lineWithoutChecksumIsNamed() async throws {
        let fixture = try JournalFixture()
        try await fixture.writeSampleJournal()
        var lines = fixture.lines()
        lines.insert(#"{"id":"00112233445566778899aabbccddeeff","type":"sent"}"#, at: 2)
        fixture.write(lines.joined(separator: "\n"))
        let error = try #require(throws: JournalError.self) { try Journal.replay(path: fixture.journalPath) }
        #expect(error.localizedDescription.contains("line 3: the line has no checksum"))
    }

    @Test func journalNotStartingWithAHeaderIsRefused() async throws {
        let fixture = try JournalFixture()
        try await fixture.writeSampleJournal()
        fixture.write(fixture.lines().dropFirst().joined(separator: "\n"))
        #expect(throws: JournalError.missingHeader(path: fixture.journalPath)) {
            try Journal.replay(path: fixture.journalPath)
        }
    }

    @Test(arguments: ["", #"{"c":"1234abcd","header":{"#])
    func emptyOrTornHeaderStartsAFreshJournal(content: String) async throws {
        let fixture = try JournalFixture()
        try FileManager.default.createDirectory(
            atPath: fixture.directory + "/.aq-import", withIntermediateDirectories: true)
        fixture.write(content)
        #expect(try Journal.replay(path: fixture.journalPath) == nil)
        let (journal, state) = try await Journal.open(path: fixture.journalPath, header: fixture.header())
        try await journal.close()
        #expect(state.done.isEmpty)
        #expect(fixture.lines().count == 2)
        #expect(try Journal.replay(path: fixture.journalPath)?.header == fixture.header())
    }

    @Test(
        "read in chunks of any size, down to a byte, a journal replays as when read whole",
        arguments: [1, 5, 64, 1 << 20])
    func chunksOfAnySizeReplayAlike(chunkSize: Int) async throws {
        let fixture = try JournalFixture()
        try await fixture.writeSampleJournal()
        let original = fixture.contents()
        // One read of the whole file: what replay does with a chunk larger than the journal.
        let whole = try #require(try Journal.replay(path: fixture.journalPath, chunkSize: 1 << 30))
        for tail in ["", #"{"c":"1234abcd","id":"0af"#, #"{"c":"00000000","id":"0af3","type":"sent"}"# + "\n"] {
            fixture.write(original + tail)
            let expected = try #require(try Journal.replay(path: fixture.journalPath, chunkSize: 1 << 30))
            let state = try #require(try Journal.replay(path: fixture.journalPath, chunkSize: chunkSize))
            #expect(state.lineCount == expected.lineCount)
            #expect(state.validLength == expected.validLength)
            #expect(state.validLength == Int64(original.utf8.count))
            #expect(state.ignoredTailBytes == expected.ignoredTailBytes)
            #expect(state.ignoredTailBytes == Int64(tail.utf8.count))
            #expect(state.done == whole.done && state.unsettled == whole.unsettled)
            #expect(state.landings == whole.landings)
        }
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[3] = String(lines[3].prefix(20))
        fixture.write(lines.joined(separator: "\n"))
        let error = try #require(throws: JournalError.self) {
            try Journal.replay(path: fixture.journalPath, chunkSize: chunkSize)
        }
        guard case .damagedLine(_, let line, _) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(line == 4)
    }

    @Test func missingJournalReplaysAsNil() throws {
        let fixture = try JournalFixture()
        #expect(try Journal.replay(path: fixture.journalPath) == nil)
    }

    @Test func replaysTwentyThousandRequests() async throws {
        let fixture = try JournalFixture()
        let (journal, _) = try await Journal.open(path: fixture.journalPath, header: fixture.header(), fsync: false)
        let count = 20_000
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<16 {
                group.addTask {
                    for n in stride(from: worker, to: count, by: 16) {
                        try await journal.sending(F.requestID(n))
                        if n % 1000 != 7 { try await journal.delivered(F.requestID(n), status: 201, created: 50) }
                    }
                }
            }
            try await group.waitForAll()
        }
        try await journal.close()

        let clock = ContinuousClock()
        var replayed: JournalState?
        let elapsed = try clock.measure { replayed = try Journal.replay(path: fixture.journalPath) }
        let state = try #require(replayed)
        #expect(state.done.count == count - 20)
        #expect(state.unsettled.count == 20)
        #expect(state.recordsCreated == (count - 20) * 50)
        #expect(state.lineCount == 1 + 2 * count - 20)
        print("replayed \(state.lineCount) journal lines in \(elapsed)")
    }
}
