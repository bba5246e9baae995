import Foundation

@testable import AQImportCore

/// A random but reproducible import: a dozen or fewer (kind, scope) groups, each with a few to many ids,
/// timestamps spread over days to a year, uniform or in bursts, with duplicates (some with a later
/// timestamp) and, now and then, a group without timestamps under a fixed window.
struct PlanScenario: CustomStringConvertible, Sendable {
    struct Group: Sendable {
        var kind: RecordKind
        var scope: Scope
        var count: Int
        var spanDays: Int
        var bursts: Int  // 0: uniform
        var timed: Bool
        var seed: UInt64
    }

    static let epoch: Int64 = 1_767_225_600  // 2026-01-01T00:00:00Z
    static let fixedWindow = TimeWindow(
        start: Timestamp(secondsSinceEpoch: epoch), end: Timestamp(secondsSinceEpoch: epoch + 5 * 86_400))

    var seed: UInt64
    var groups: [Group]

    var options: PlanOptions {
        PlanOptions(fixedWindow: groups.contains { !$0.timed } ? Self.fixedWindow : nil)
    }

    var totalCount: Int { groups.reduce(0) { $0 + $1.count } }

    var description: String {
        "seed \(seed): "
            + groups.map { "\($0.kind)×\($0.count)/\($0.spanDays)d\($0.bursts > 0 ? "b" : "")" }
            .joined(separator: " ")
    }

    /// `maxPerGroup` bounds the ids of one group; sizes are spread log-uniformly below it.
    init(seed: UInt64, maxPerGroup: Int, maxGroups: Int = 12) {
        self.seed = seed
        var rng = SplitMix64(seed: seed)
        let groupCount = Int.random(in: 1...maxGroups, using: &rng)
        let projects = (0..<Int.random(in: 1...4, using: &rng)).map { "UHJvamVjdDox\($0)" }
        let datasets = (0..<Int.random(in: 1...2, using: &rng)).map { "RGF0YXNldDox\($0)" }
        let mixKinds = Bool.random(using: &rng)
        let onlyKind = RecordKind.allCases.randomElement(using: &rng)!
        var groups: [Group] = []
        var keys = Set<String>()
        for _ in 0..<groupCount {
            let kind = mixKinds ? RecordKind.allCases.randomElement(using: &rng)! : onlyKind
            let scope: Scope =
                kind == .example
                ? .dataset(id: datasets.randomElement(using: &rng)!, versionID: Bool.random(using: &rng) ? "v1" : nil)
                : .project(id: projects.randomElement(using: &rng)!)
            guard keys.insert("\(kind)\(scope)").inserted else { continue }
            let exponent = Double.random(in: 0...1, using: &rng)
            let count = max(1, Int(pow(Double(maxPerGroup), exponent).rounded()))
            groups.append(
                Group(
                    kind: kind, scope: scope, count: count,
                    spanDays: [1, 3, 6, 8, 15, 30, 90, 180, 365].randomElement(using: &rng)!,
                    bursts: Bool.random(using: &rng) ? Int.random(in: 1...20, using: &rng) : 0,
                    timed: kind == .example || Int.random(in: 0..<8, using: &rng) > 0,
                    seed: rng.next()))
        }
        self.groups = groups
    }

    init(seed: UInt64, groups: [Group]) {
        self.seed = seed
        self.groups = groups
    }

    /// Every record of the import, duplicates included, in a fixed order.
    func forEachRecord(_ body: (RecordRef) -> Void) {
        for (g, group) in groups.enumerated() {
            var rng = SplitMix64(seed: group.seed)
            let span = Int64(group.spanDays) * 86_400 * 1_000_000_000
            let centers = (0..<max(group.bursts, 1)).map { _ in Int64.random(in: 0..<span, using: &rng) }
            for n in 0..<group.count {
                let id = Self.id(kind: group.kind, group: g, n: n)
                var time: Int64? = nil
                if group.kind.isProjectKind && group.timed {
                    var offset: Int64
                    if group.bursts > 0 {
                        // Bursts a few minutes to a few hours wide.
                        let center = centers[Int.random(in: 0..<centers.count, using: &rng)]
                        offset = center + Int64.random(in: 0..<(600_000_000_000 << (n % 5)), using: &rng)
                        offset = min(offset, span - 1)
                    } else {
                        offset = Int64.random(in: 0..<span, using: &rng)
                    }
                    // Some whole seconds, some with a fraction.
                    if n % 3 == 0 { offset -= offset % 1_000_000_000 }
                    time = Self.epoch * 1_000_000_000 + offset
                }
                body(record(group, id, time, line: n))
                if Int.random(in: 0..<20, using: &rng) == 0 {
                    // A duplicate, sometimes seen later in time (a trace id on a child span).
                    let later = time.map { $0 + Int64.random(in: 0...3_600_000_000_000, using: &rng) }
                    body(record(group, id, Bool.random(using: &rng) ? later : time, line: n))
                }
            }
        }
    }

    private func record(_ group: Group, _ id: RecordID, _ time: Int64?, line: Int) -> RecordRef {
        RecordRef(
            kind: group.kind, id: id, scope: group.scope,
            timestamp: time.map { Timestamp(nanosecondsSinceEpoch: $0) }, origin: RowOrigin(fileIndex: 0, line: line))
    }

    static func id(kind: RecordKind, group: Int, n: Int) -> RecordID {
        let value = SplitMix64.mix(UInt64(group) << 40 | UInt64(n))
        switch kind {
        case .span: return .hex64(value)
        case .trace: return RecordID(String(value, radix: 16) + String(SplitMix64.mix(value), radix: 16))
        case .session: return RecordID("session-\(value % 1_000_000_007)-\(n)")
        case .example: return RecordID("\(n)")
        }
    }

    /// A planner fed this import, optionally in reverse order or with only some kinds.
    func planner(reversed: Bool = false, kinds: Set<RecordKind> = Set(RecordKind.allCases)) -> Planner {
        var planner = Planner(options: options)
        if reversed {
            var all: [RecordRef] = []
            forEachRecord { all.append($0) }
            for record in all.reversed() where kinds.contains(record.kind) { planner.add(record) }
        } else {
            forEachRecord { if kinds.contains($0.kind) { planner.add($0) } }
        }
        return planner
    }
}
