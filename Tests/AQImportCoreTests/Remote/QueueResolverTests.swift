import Foundation
import Testing

@testable import AQImportCore

@Suite struct QueueResolverTests {
    static let space1 = FakeArizeDirectory.id("Space", 1)
    static let space2 = FakeArizeDirectory.id("Space", 2)
    static let space3 = FakeArizeDirectory.id("Space", 3)

    /// 250 queues in space 1 (so three pages of 100 when unfiltered), the wanted ones late in the list.
    static func directory(forbiddenKeys: Set<String> = []) -> FakeArizeDirectory {
        var queues = (1...240).map {
            FakeArizeDirectory.Queue(
                id: FakeArizeDirectory.id("AnnotationQueue", $0), name: "Review \($0)", spaceID: space1)
        }
        queues += [
            .init(id: FakeArizeDirectory.id("AnnotationQueue", 900), name: "Golden set", spaceID: space1),
            .init(id: FakeArizeDirectory.id("AnnotationQueue", 901), name: "golden set", spaceID: space1),
            .init(id: FakeArizeDirectory.id("AnnotationQueue", 902), name: "Golden set v2", spaceID: space1),
            .init(id: FakeArizeDirectory.id("AnnotationQueue", 903), name: "Golden set", spaceID: space2),
        ]
        return FakeArizeDirectory(
            spaces: [
                RemoteSpace(id: space1, name: "Production"),
                RemoteSpace(id: space2, name: "Staging"),
                RemoteSpace(id: space3, name: "Staging"),
                RemoteSpace(id: FakeArizeDirectory.id("Space", 4), name: "production-old"),
            ],
            queues: queues, forbiddenKeys: forbiddenKeys)
    }

    static func resolver(
        _ directory: FakeArizeDirectory, key: String = "ak-good", pageSize: Int = 100
    ) -> QueueResolver {
        QueueResolver(
            transport: directory, endpoint: Endpoint(),
            credential: APICredential(key: key, source: .environment(variable: "ARIZE_API_KEY")), pageSize: pageSize)
    }

    @Test func anIdIsTakenAsGivenWithoutARequest() async throws {
        let directory = Self.directory()
        let id = FakeArizeDirectory.id("AnnotationQueue", 7)
        let resolved = try await Self.resolver(directory).resolve(queue: id, space: nil)
        #expect(resolved == ResolvedQueue(id: id))
        #expect(directory.calls.isEmpty)
    }

    @Test func aNameInASpaceNamedExactly() async throws {
        let directory = Self.directory()
        let resolved = try await Self.resolver(directory).resolve(queue: "Golden set", space: "Production")
        #expect(resolved.id == FakeArizeDirectory.id("AnnotationQueue", 900))
        #expect(resolved.name == "Golden set")
        #expect(resolved.spaceID == Self.space1)
        #expect(
            directory.paths == [
                "/v2/spaces?name=Production&limit=100",
                "/v2/annotation-queues?space_id=\(APIPath.percentEncode(Self.space1))&name=Golden%20set&limit=100",
            ])
        for call in directory.calls {
            #expect(call.method == "GET")
            #expect(call.header("Authorization") == "Bearer ak-good")
        }
    }

    @Test func matchingIsCaseSensitive() async throws {
        let directory = Self.directory()
        let resolved = try await Self.resolver(directory).resolve(queue: "golden set", space: Self.space1)
        #expect(resolved.id == FakeArizeDirectory.id("AnnotationQueue", 901))
    }

    @Test func pagesAreFollowedUntilTheExactName() async throws {
        let directory = Self.directory()
        let resolved = try await Self.resolver(directory, pageSize: 1).resolve(queue: "golden set", space: Self.space1)
        #expect(resolved.id == FakeArizeDirectory.id("AnnotationQueue", 901))
        // The filter matches "Golden set" (page one), then "golden set" (page two).
        try #require(directory.paths.count == 2)
        #expect(directory.paths[1].contains("&cursor="))
    }

    @Test func aQueueNameNeedsASpace() async {
        let directory = Self.directory()
        await #expect(throws: RemoteError.queueNameNeedsSpace(queue: "Golden set")) {
            try await Self.resolver(directory).resolve(queue: "Golden set", space: nil)
        }
        #expect(directory.calls.isEmpty)
    }

    @Test func aMissingQueueListsTheNearestNames() async throws {
        let directory = Self.directory()
        let error = await #expect(throws: RemoteError.self) {
            try await Self.resolver(directory).resolve(queue: "Golden sett", space: "Production")
        }
        guard case .queueNotFound(let name, let space, let suggestions)? = error else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
        #expect(name == "Golden sett")
        #expect(space == "\"Production\" (\(Self.space1))")
        #expect(suggestions == ["Golden set", "golden set", "Golden set v2"])
        #expect(error?.errorDescription?.contains("nearest names: \"Golden set\"") == true)
    }

    @Test func aMissingQueueWithATypoFindsNamesFromTheUnfilteredListing() async throws {
        let directory = Self.directory()
        let error = await #expect(throws: RemoteError.self) {
            try await Self.resolver(directory).resolve(queue: "Goldn set", space: Self.space1)
        }
        guard case .queueNotFound(_, _, let suggestions)? = error else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
        #expect(suggestions.first == "Golden set")
        #expect(suggestions.count <= 5)
    }

    @Test func aSpaceNameIsMatchedExactly() async throws {
        let directory = Self.directory()
        #expect(try await Self.resolver(directory).resolveSpaceID("Production") == Self.space1)
        #expect(try await Self.resolver(directory).resolveSpaceID(Self.space2) == Self.space2)
    }

    @Test func anAmbiguousSpaceNameIsAnError() async {
        let directory = Self.directory()
        await #expect(throws: RemoteError.spaceAmbiguous(name: "Staging", ids: [Self.space2, Self.space3])) {
            try await Self.resolver(directory, pageSize: 1).resolve(queue: "Golden set", space: "Staging")
        }
    }

    @Test func aMissingSpaceListsTheNearestNames() async {
        let directory = Self.directory()
        await #expect(
            throws: RemoteError.spaceNotFound(name: "production", suggestions: ["Production", "production-old"])
        ) {
            try await Self.resolver(directory).resolve(queue: "Golden set", space: "production")
        }
    }

    @Test func checkRemoteFindsTheQueue() async throws {
        let directory = Self.directory()
        let id = FakeArizeDirectory.id("AnnotationQueue", 900)
        let queue = try await Self.resolver(directory).checkRemote(queueID: id)
        #expect(queue == RemoteQueue(id: id, name: "Golden set", spaceID: Self.space1))
        #expect(directory.paths == [APIPath.queue(id)])
        #expect(directory.calls.allSatisfy { $0.method == "GET" })
    }

    @Test func checkRemoteReportsAMissingQueue() async {
        let directory = Self.directory()
        let id = FakeArizeDirectory.id("AnnotationQueue", 404)
        await #expect(throws: RemoteError.queueMissing(id: id)) {
            try await Self.resolver(directory).checkRemote(queueID: id)
        }
    }

    @Test(arguments: [("ak-DISTINCTIVE-bad-7731", 401), ("ak-forbidden-7731", 403)])
    func aRefusedKeyIsNamedBySourceNeverShown(key: String, status: Int) async {
        let directory = Self.directory(forbiddenKeys: ["ak-forbidden-7731"])
        let id = FakeArizeDirectory.id("AnnotationQueue", 900)
        let error = await #expect(throws: RemoteError.self) {
            try await Self.resolver(directory, key: key).checkRemote(queueID: id)
        }
        guard case .unauthorized(let seenStatus, let source, _)? = error else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
        #expect(seenStatus == status)
        #expect(source == "the environment variable ARIZE_API_KEY")
        let message = error?.errorDescription ?? ""
        #expect(message.contains("the environment variable ARIZE_API_KEY"))
        #expect(!message.contains(key))
        #expect(!String(describing: error!).contains(key))
    }

    @Test func aRefusedKeyDuringNameResolutionIsReportedAsSuch() async {
        let directory = Self.directory()
        await #expect {
            try await Self.resolver(directory, key: "nope").resolve(queue: "Golden set", space: "Production")
        } throws: { error in
            if case .unauthorized(401, _, _)? = error as? RemoteError { return true }
            return false
        }
    }

    @Test func transportFailuresAreRetriedThenWrapped() async {
        final class Down: HTTPTransport, @unchecked Sendable {
            let calls = NSLock()
            var count = 0
            func send(_ request: HTTPRequest) async throws -> HTTPResponse {
                calls.withLock { count += 1 }
                throw TransportError.connectionFailed("refused")
            }
        }
        let down = Down()
        let resolver = QueueResolver(
            transport: down, endpoint: Endpoint(),
            credential: APICredential(key: "k", source: .environment(variable: "ARIZE_API_KEY")), maxAttempts: 3,
            sleep: { _ in })
        await #expect(throws: RemoteError.transport(.connectionFailed("refused"))) {
            try await resolver.checkRemote(queueID: FakeArizeDirectory.id("AnnotationQueue", 1))
        }
        #expect(down.count == 3)
    }

    @Test func readsAreRetriedAfter429And5xxHonouringRetryAfter() async throws {
        final class Flaky: HTTPTransport, @unchecked Sendable {
            let lock = NSLock()
            var answers: [HTTPResponse] = [
                HTTPResponse(status: 429, headers: [("Retry-After", "7")], body: []),
                HTTPResponse(status: 503, body: []),
            ]
            func send(_ request: HTTPRequest) async throws -> HTTPResponse {
                if let next = lock.withLock({ answers.isEmpty ? nil : answers.removeFirst() }) { return next }
                return HTTPResponse(
                    status: 200, body: Array(#"{"id": "QW5ub3RhdGlvblF1ZXVlOjE6ZGVtbw==", "name": "demo"}"#.utf8))
            }
        }
        final class Waits: @unchecked Sendable {
            let lock = NSLock()
            var values: [Duration] = []
        }
        let waits = Waits()
        let resolver = QueueResolver(
            transport: Flaky(), endpoint: Endpoint(),
            credential: APICredential(key: "k", source: .environment(variable: "ARIZE_API_KEY")),
            sleep: { wait in waits.lock.withLock { waits.values.append(wait) } })
        let queue = try await resolver.checkRemote(queueID: "QW5ub3RhdGlvblF1ZXVlOjE6ZGVtbw==")
        #expect(queue.name == "demo")
        #expect(waits.values.count == 2)
        #expect(waits.values.first == .seconds(7))
    }

    @Test func aBodyThatIsNotTheExpectedShapeIsAnError() async {
        struct Odd: HTTPTransport {
            func send(_ request: HTTPRequest) async throws -> HTTPResponse {
                HTTPResponse(status: 200, body: Array(#"{"items": []}"#.utf8))
            }
        }
        let resolver = QueueResolver(
            transport: Odd(), endpoint: Endpoint(),
            credential: APICredential(key: "k", source: .environment(variable: "ARIZE_API_KEY")))
        await #expect(throws: RemoteError.malformedResponse(request: "GET /v2/spaces", reason: "no spaces field")) {
            try await resolver.resolveSpaceID("Production")
        }
    }
}
