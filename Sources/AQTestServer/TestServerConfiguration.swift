import Foundation

/// Everything the double starts with. The defaults serve the demo space and queue with the key `test-key`
/// on 127.0.0.1, on a free port, with no faults.
public struct TestServerConfiguration: Sendable, Equatable {
    public struct Space: Sendable, Codable, Equatable {
        public var id: String
        public var name: String

        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    public struct Queue: Sendable, Codable, Equatable {
        public var id: String
        public var name: String
        public var spaceID: String
        public var instructions: String

        public init(id: String, name: String, spaceID: String, instructions: String = "") {
            self.id = id
            self.name = name
            self.spaceID = spaceID
            self.instructions = instructions
        }

        enum CodingKeys: String, CodingKey {
            case id, name, instructions
            case spaceID = "space_id"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            name = try container.decode(String.self, forKey: .name)
            spaceID = try container.decode(String.self, forKey: .spaceID)
            instructions = try container.decodeIfPresent(String.self, forKey: .instructions) ?? ""
        }
    }

    public static let demoSpace = Space(id: "U3BhY2U6MTpkZW1v", name: "demo")
    public static let demoQueue = Queue(
        id: "QW5ub3RhdGlvblF1ZXVlOjE6ZGVtbw==", name: "demo", spaceID: "U3BhY2U6MTpkZW1v",
        instructions: "Demo queue of the aq-import API double.")
    public static let demoAPIKey = "test-key"

    public var host: String
    /// 0 picks a free port; the chosen one is passed to `onListening`.
    public var port: Int
    public var apiKeys: [String]
    public var spaces: [Space]
    public var queues: [Queue]
    public var catalogue: Catalogue?
    public var unknownIDs: UnknownIDPolicy
    public var faults: FaultSettings
    /// Seeds the fault draws; the same seed gives the same fault for the n-th request.
    public var seed: UInt64

    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        apiKeys: [String] = [demoAPIKey],
        spaces: [Space] = [demoSpace],
        queues: [Queue] = [demoQueue],
        catalogue: Catalogue? = nil,
        unknownIDs: UnknownIDPolicy = .ignore,
        faults: FaultSettings = FaultSettings(),
        seed: UInt64 = 0
    ) {
        self.host = host
        self.port = port
        self.apiKeys = apiKeys
        self.spaces = spaces
        self.queues = queues
        self.catalogue = catalogue
        self.unknownIDs = unknownIDs
        self.faults = faults
        self.seed = seed
    }

    /// Adds what a `--config` file defines (see `ConfigFile`). Without `"include_defaults": false` the demo
    /// space, queue and key stay.
    public mutating func apply(_ file: ConfigFile) {
        if file.includeDefaults == false {
            apiKeys.removeAll { $0 == Self.demoAPIKey }
            spaces.removeAll { $0 == Self.demoSpace }
            queues.removeAll { $0 == Self.demoQueue }
        }
        apiKeys += file.apiKeys ?? []
        spaces += file.spaces ?? []
        queues += file.queues ?? []
        if let catalogue = file.catalogue { self.catalogue = catalogue }
        if let unknownIDs = file.unknownIDs { self.unknownIDs = unknownIDs }
    }
}
