import Foundation

@testable import AQImportCore

/// A per-test temporary directory with helpers for building journals in it.
final class JournalFixture {
    let directory: String

    init() throws {
        directory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("aq-journal-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    var journalPath: String { directory + "/.aq-import/run.journal" }

    func header(
        queue: String = "queue-1", options: [String: String] = ["kind": "span", "project-id": "p1"],
        inputs: [InputFingerprint]? = nil
    ) -> JournalHeader {
        JournalHeader(
            toolVersion: "0.1.0-test", queueID: queue, endpointHost: "api.arize.com", planOptions: options,
            inputs: inputs ?? [Self.fingerprint("spans.csv")],
            createdAt: Date(timeIntervalSince1970: 1_790_000_000))
    }

    static func fingerprint(_ path: String, size: Int64 = 1234, sha: String = String(repeating: "ab", count: 32))
        -> InputFingerprint
    {
        InputFingerprint(
            path: path, size: size, modificationTime: Date(timeIntervalSince1970: 1_789_999_000.123456),
            sha256: sha)
    }

    static func requestID(_ n: Int) -> RequestID {
        RequestID(body: Array("request \(n)".utf8))
    }

    func contents() -> String {
        String(decoding: FileManager.default.contents(atPath: journalPath) ?? Data(), as: UTF8.self)
    }

    func lines() -> [String] {
        contents().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    func write(_ text: String) {
        _ = FileManager.default.createFile(atPath: journalPath, contents: Data(text.utf8))
    }

    func appendRaw(_ text: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: journalPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    /// A closed journal with the header, three delivered requests, one rejected and one only sent.
    func writeSampleJournal() async throws {
        let (journal, _) = try await Journal.open(path: journalPath, header: header(), fsync: false)
        for n in 1...3 {
            try await journal.sending(Self.requestID(n))
            try await journal.delivered(Self.requestID(n), status: n == 2 ? 200 : 201, created: n == 2 ? 0 : 500)
        }
        try await journal.sending(Self.requestID(4))
        try await journal.rejected(
            Self.requestID(4),
            rejections: [ServerRejection(kind: .span, id: "bad-1", status: 422, detail: "span not found")],
            created: 499)
        try await journal.sending(Self.requestID(5))
        try await journal.close()
    }
}
