import Foundation
import Testing

@testable import AQImportCore

@Suite("Planner properties")
struct PlannerPropertyTests {
    @Test("every rule holds, every id goes out once, same plan in any row order", arguments: 0..<48)
    func rulesHold(seed: Int) throws {
        let scenario = PlanScenario(seed: UInt64(seed), maxPerGroup: [30, 600, 5_000][seed % 3])
        let plan = scenario.planner().plan()
        let validator = PlanValidator(scenario)
        #expect(validator.violations(plan) == [], "\(scenario)")
        #expect(plan.requests.count <= plan.lowerBound * 3 / 2 + 1, "\(scenario)")

        let again = scenario.planner().plan()
        let reversed = scenario.planner(reversed: true).plan()
        #expect(again.requests.map(\.body) == plan.requests.map(\.body))
        #expect(reversed.requests.map(\.body) == plan.requests.map(\.body), "row order changed the plan")
        #expect(reversed.requests.map(\.id) == plan.requests.map(\.id))
    }

    /// Many small imports and a few up to a million ids. Prints the mean ratio to L.
    @Test("request counts stay within 1.5 L + 1, and near L on average")
    func countsNearLowerBound() throws {
        var scenarios: [PlanScenario] = (0..<240).map { n in
            PlanScenario(seed: 10_000 + UInt64(n), maxPerGroup: [20, 300, 3_000, 30_000][n % 4])
        }
        scenarios.append(PlanScenario(seed: 77, maxPerGroup: 400_000, maxGroups: 3))
        scenarios.append(
            PlanScenario(
                seed: 78,
                groups: [
                    .init(
                        kind: .span, scope: .project(id: "big"), count: 1_000_000, spanDays: 365, bursts: 12,
                        timed: true, seed: 1),
                    .init(
                        kind: .session, scope: .project(id: "big"), count: 3_000, spanDays: 90, bursts: 0,
                        timed: true, seed: 2),
                    .init(
                        kind: .example, scope: .dataset(id: "d", versionID: nil), count: 77, spanDays: 1, bursts: 0,
                        timed: true, seed: 3),
                ]))
        var ratios: [Double] = []
        var worst = (ratio: 0.0, scenario: "")
        var worstFromTen = 0.0  // among imports with L >= 10, where one request more weighs less
        for scenario in scenarios {
            let plan = scenario.planner().plan()
            let validator = PlanValidator(scenario)
            let problems = validator.violations(plan, checkBodies: scenario.totalCount <= 20_000)
            #expect(problems == [], "\(scenario)")
            let bound = plan.lowerBound
            #expect(bound >= 1)
            #expect(plan.requests.count <= bound * 3 / 2 + 1, "\(scenario): \(plan.requests.count) vs L \(bound)")
            let ratio = Double(plan.requests.count) / Double(bound)
            ratios.append(ratio)
            if ratio > worst.ratio { worst = (ratio, "\(scenario): \(plan.requests.count) requests, L \(bound)") }
            if bound >= 10 { worstFromTen = max(worstFromTen, ratio) }
        }
        let mean = ratios.reduce(0, +) / Double(ratios.count)
        print(
            "Planner: mean requests / L over \(ratios.count) random imports: \(String(format: "%.4f", mean)); "
                + "worst \(String(format: "%.4f", worst.ratio)) (\(worst.scenario)); "
                + "worst where L >= 10: \(String(format: "%.4f", worstFromTen))")
        #expect(mean < 1.05)
    }

    @Test("mixed kinds never take more requests than each kind on its own", arguments: 0..<40)
    func mixedKindsNeverCostMore(seed: Int) {
        let scenario = PlanScenario(seed: 500 + UInt64(seed), maxPerGroup: [100, 2_000, 20_000][seed % 3])
        let kinds = Set(scenario.groups.map(\.kind))
        let together = scenario.planner().plan().requests.count
        let apart = kinds.reduce(0) { $0 + scenario.planner(kinds: [$1]).plan().requests.count }
        #expect(together <= apart, "\(scenario)")
    }
}
