import Foundation
import Testing

@testable import AQImportCore

@Suite("Journal durability")
struct JournalDurabilityTests {
    typealias F = JournalFixture

    @Test func journalIsPrivateToItsOwner() async throws {
        let fixture = try JournalFixture()
        let (journal, _) = try await Journal.open(path: fixture.journalPath, header: fixture.header())
        try await journal.close()
        let fileMode = try FileManager.default.attributesOfItem(atPath: fixture.journalPath)[.posixPermissions]
        let directoryMode = try FileManager.default.attributesOfItem(atPath: fixture.directory + "/.aq-import")[
            .posixPermissions]
        #expect((fileMode as? NSNumber)?.intValue == 0o600)
        #expect((directoryMode as? NSNumber)?.intValue == 0o700)
    }

    @Test func anExistingJournalIsMadePrivate() async throws {
        let fixture = try JournalFixture()
        try await fixture.writeSampleJournal()
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: fixture.journalPath)
        let (journal, _) = try await Journal.open(path: fixture.journalPath, header: fixture.header())
        try await journal.close()
        let mode = try FileManager.default.attributesOfItem(atPath: fixture.journalPath)[.posixPermissions]
        #expect((mode as? NSNumber)?.intValue == 0o600)
    }

    @Test func sendingReturnsOnlyOnceItsLineIsInTheFile() async throws {
        let fixture = try JournalFixture()
        let (journal, _) = try await Journal.open(path: fixture.journalPath, header: fixture.header())
        let id = F.requestID(1)

        journal.suspendWritesForTesting()
        let returned = Flag()
        let task = Task {
            try await journal.sending(id)
            returned.set()
        }
        while await journal.statistics.lines < 2 { await Task.yield() }
        #expect(!returned.value)
        #expect(!fixture.contents().contains(id.hex))

        journal.resumeWritesForTesting()
        try await task.value
        #expect(returned.value)
        #expect(fixture.lines()[1].contains(#""id":"\#(id.hex)","type":"sent""#))
        try await journal.close()
    }

    @Test func concurrentSendersShareFsyncs() async throws {
        let fixture = try JournalFixture()
        let (journal, _) = try await Journal.open(path: fixture.journalPath, header: fixture.header())
        let before = await journal.statistics
        let calls = 64

        journal.suspendWritesForTesting()
        let senders = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<calls { group.addTask { try await journal.sending(F.requestID(n)) } }
                try await group.waitForAll()
            }
        }
        while await journal.statistics.lines < before.lines + calls { await Task.yield() }
        journal.resumeWritesForTesting()
        try await senders.value

        let after = await journal.statistics
        // The first line's group was already waiting for the held-back queue; every other line went out
        // in the group after it.
        #expect(after.fsyncs - before.fsyncs <= 2)
        #expect(after.writes - before.writes <= 2)
        #expect(after.lines - before.lines == calls)
        try await journal.close()
        #expect(try Journal.replay(path: fixture.journalPath)?.unsettled.count == calls)
    }

    @Test func freeRunningSendersMakeFarFewerFsyncsThanCalls() async throws {
        let fixture = try JournalFixture()
        let (journal, _) = try await Journal.open(path: fixture.journalPath, header: fixture.header())
        let calls = 2_000
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<16 {
                group.addTask {
                    for n in stride(from: worker, to: calls, by: 16) {
                        try await journal.sending(F.requestID(n))
                        try await journal.delivered(F.requestID(n), status: 201, created: 1)
                    }
                }
            }
            try await group.waitForAll()
        }
        let stats = await journal.statistics
        try await journal.close()
        print("\(2 * calls) lines, \(stats.fsyncs) fsyncs")
        #expect(stats.fsyncs < calls)
        #expect(try Journal.replay(path: fixture.journalPath)?.done.count == calls)
    }

    @Test func withoutFsyncLinesAreStillWritten() async throws {
        let fixture = try JournalFixture()
        let (journal, _) = try await Journal.open(path: fixture.journalPath, header: fixture.header(), fsync: false)
        try await journal.sending(F.requestID(1))
        #expect(fixture.contents().contains(F.requestID(1).hex))
        #expect(await journal.statistics.fsyncs == 0)
        try await journal.close()
    }

    @Test func aFailedWriteFailsEveryLaterCall() async throws {
        let fixture = try JournalFixture()
        let (journal, _) = try await Journal.open(path: fixture.journalPath, header: fixture.header())
        try await journal.sending(F.requestID(1))
        journal.breakFileForTesting()
        await #expect(throws: JournalError.closed(path: fixture.journalPath)) {
            try await journal.delivered(F.requestID(1), status: 201, created: 1)
        }
        await #expect(throws: JournalError.closed(path: fixture.journalPath)) {
            try await journal.sending(F.requestID(2))
        }
        await #expect(throws: JournalError.closed(path: fixture.journalPath)) { try await journal.close() }
        #expect(try Journal.replay(path: fixture.journalPath)?.unsettled == [F.requestID(1)])
    }

    @Test func aClosedJournalRefusesLines() async throws {
        let fixture = try JournalFixture()
        let (journal, _) = try await Journal.open(path: fixture.journalPath, header: fixture.header())
        try await journal.close()
        try await journal.close()
        await #expect(throws: JournalError.closed(path: fixture.journalPath)) {
            try await journal.sending(F.requestID(1))
        }
    }
}

/// Set once from another task.
private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var isSet = false
    func set() { lock.withLock { isSet = true } }
    var value: Bool { lock.withLock { isSet } }
}
