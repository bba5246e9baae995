import Testing

@testable import AQImportCore

@Suite struct IDPositionTableTests {
    @Test("every key is found at its position through many growths; absent keys are not; kinds stay apart")
    func findsEveryKey() {
        var keys: [(RecordKind, RecordID)] = []
        for i in 0..<3_000 {
            keys.append((.span, .hex64(UInt64(i) &* 0x9E37_79B9_7F4A_7C15)))
            keys.append((.session, .text("session-\(i)")))
        }
        // Canonically equivalent spellings, and one id under two kinds, are four keys.
        keys.append((.session, .text("caf\u{E9}")))
        keys.append((.session, .text("cafe\u{301}")))
        keys.append((.trace, .text("caf\u{E9}")))
        keys.append((.trace, .hex64(0)))
        var table = IDPositionTable()
        for (at, key) in keys.enumerated() {
            let idKey = IDKey(kind: key.0, id: key.1)
            #expect(table.position(of: idKey) { idKey.matches(kind: keys[$0].0, id: keys[$0].1) } == nil)
            table.insert(at, key: idKey) { IDKey(kind: keys[$0].0, id: keys[$0].1) }
        }
        for (at, key) in keys.enumerated() {
            let idKey = IDKey(kind: key.0, id: key.1)
            #expect(table.position(of: idKey) { idKey.matches(kind: keys[$0].0, id: keys[$0].1) } == at)
        }
        for absent in [IDKey(kind: .span, id: .text("session-1")), IDKey(kind: .example, id: .hex64(0))] {
            #expect(table.position(of: absent) { absent.matches(kind: keys[$0].0, id: keys[$0].1) } == nil)
        }
    }
}
