import Foundation

/// The first line of a journal: what run it belongs to. A resumed run must present the same queue,
/// endpoint host, plan-shaping options and inputs.
public struct JournalHeader: Codable, Sendable, Hashable {
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    public var toolVersion: String
    public var queueID: String
    public var endpointHost: String
    /// The options that shape the plan, in a stable string form chosen by the caller
    /// (e.g. `["kind": "span", "project-id": "p1"]`); absent options are best left out.
    public var planOptions: [String: String]
    public var inputs: [InputFingerprint]
    public var createdAt: Date

    public init(
        formatVersion: Int = JournalHeader.currentFormatVersion, toolVersion: String, queueID: String,
        endpointHost: String, planOptions: [String: String], inputs: [InputFingerprint], createdAt: Date = Date()
    ) {
        self.formatVersion = formatVersion
        self.toolVersion = toolVersion
        self.queueID = queueID
        self.endpointHost = endpointHost
        self.planOptions = planOptions
        self.inputs = inputs
        self.createdAt = createdAt
    }

    /// What differs between this (stored) header and the header of a new run, in words. Tool version
    /// and creation time are not compared: request ids are content hashes, so a changed planner only
    /// means that fewer requests are recognised as done.
    public func differences(from new: JournalHeader) -> [String] {
        var changes: [String] = []
        if queueID != new.queueID {
            changes.append("queue changed: \(queueID.debugDescription) -> \(new.queueID.debugDescription)")
        }
        if endpointHost != new.endpointHost {
            changes.append(
                "endpoint host changed: \(endpointHost.debugDescription) -> \(new.endpointHost.debugDescription)")
        }
        for key in Set(planOptions.keys).union(new.planOptions.keys).sorted() {
            switch (planOptions[key], new.planOptions[key]) {
            case (let old?, let value?) where old != value:
                changes.append("option \(key) changed: \(old.debugDescription) -> \(value.debugDescription)")
            case (let old?, nil):
                changes.append("option \(key) removed (was \(old.debugDescription))")
            case (nil, let value?):
                changes.append("option \(key) added: \(value.debugDescription)")
            default:
                break
            }
        }
        let oldPaths = inputs.map(\.path)
        let newPaths = new.inputs.map(\.path)
        for old in inputs {
            guard let current = new.inputs.first(where: { $0.path == old.path }) else {
                changes.append("input \(old.path) removed")
                continue
            }
            let inputChanges = old.differences(from: current)
            if !inputChanges.isEmpty {
                changes.append("input \(old.path) changed: " + inputChanges.joined(separator: ", "))
            }
        }
        for path in newPaths where !oldPaths.contains(path) {
            changes.append("input \(path) added")
        }
        if Set(oldPaths) == Set(newPaths), oldPaths != newPaths {
            changes.append("inputs reordered: \(oldPaths.joined(separator: " ")) -> \(newPaths.joined(separator: " "))")
        }
        return changes
    }
}
