import Testing

@testable import AQImportCore

@Suite struct AIMDControllerTests {
    @Test func halvesOncePerEpochAndNotBelowOne() {
        var aimd = AIMDController(maximum: 8, successesPerIncrease: 3)
        let epoch = aimd.epoch
        let first = aimd.throttled(sentInEpoch: epoch)
        #expect(first)
        #expect(aimd.limit == 4)
        // More 429s for requests sent before the decrease do not decrease again.
        let again = aimd.throttled(sentInEpoch: epoch)
        #expect(!again)
        #expect(aimd.limit == 4)
        aimd.throttled(sentInEpoch: aimd.epoch)
        aimd.throttled(sentInEpoch: aimd.epoch)
        #expect(aimd.limit == 1)
        let belowOne = aimd.throttled(sentInEpoch: aimd.epoch)
        #expect(!belowOne)
        #expect(aimd.limit == 1)
    }

    @Test func recoversByOnePerSuccessesUpToTheMaximum() {
        var aimd = AIMDController(maximum: 4, successesPerIncrease: 3)
        aimd.throttled(sentInEpoch: 0)
        #expect(aimd.limit == 2)
        var limits: [Int] = []
        for _ in 0..<12 {
            aimd.succeeded()
            limits.append(aimd.limit)
        }
        #expect(limits == [2, 2, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4])
    }

    @Test func byDefaultRecoversOneStepPerWindow() {
        var aimd = AIMDController(maximum: 4)
        aimd.throttled(sentInEpoch: 0)
        aimd.throttled(sentInEpoch: 1)
        #expect(aimd.limit == 1)
        var limits: [Int] = []
        for _ in 0..<7 {
            aimd.succeeded()
            limits.append(aimd.limit)
        }
        #expect(limits == [2, 2, 3, 3, 3, 4, 4])
    }
}
