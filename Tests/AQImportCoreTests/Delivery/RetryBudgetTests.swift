import Testing

@testable import AQImportCore

@Suite struct RetryBudgetTests {
    @Test func retriesDrainAndSuccessesRefill() {
        var budget = RetryBudget(initial: 2, maximum: 3, depositPerSuccess: 0.5)
        var taken: [Bool] = []
        taken.append(budget.withdraw())
        taken.append(budget.withdraw())
        taken.append(budget.withdraw())
        budget.succeeded()
        taken.append(budget.withdraw())
        budget.succeeded()
        taken.append(budget.withdraw())
        #expect(taken == [true, true, false, false, true])
        for _ in 0..<100 { budget.succeeded() }
        #expect(budget.tokens == 3)
    }
}
