import Testing

@testable import AQImportCore

@Suite("Selection value cache")
struct SelectionValueCacheTests {
    /// A row's cells, as readers offer them: text (with its bytes), a number, an instant, or nothing.
    private enum Cell {
        case text([UInt8])
        case number(String)
        case instant(Int64)
        case null, absent, unusable
    }

    private static func text(_ s: String) -> Cell { .text(Array(s.utf8)) }

    private static func withValue<T>(_ cell: Cell, _ body: (FieldValue) -> T) -> T {
        switch cell {
        case .text(let bytes): bytes.withUnsafeBytes { body(.text($0)) }
        case .number(let literal): Array(literal.utf8).withUnsafeBytes { body(.number($0)) }
        case .instant(let nanos): body(.instant(nanos))
        case .null: body(.null)
        case .absent: body(.absent)
        case .unusable: body(.unusable("a boolean"))
        }
    }

    private static func values(_ cache: SelectionValueCache, _ row: [Cell]) -> [String?] {
        cache.values(count: row.count) { i in withValue(row[i]) { value in Self.copy(value) } }
    }

    /// The cache reads each cell at once; the test's buffers live only inside `withValue`, so it is
    /// handed a copy that lives as long as the test (leaked on purpose: a few bytes).
    private static func copy(_ value: FieldValue) -> FieldValue {
        func keep(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
            let kept = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
            kept.copyMemory(from: bytes)
            return UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(kept)[0..<bytes.count])
        }
        switch value {
        case .text(let bytes): return .text(keep(bytes))
        case .number(let bytes): return .number(keep(bytes))
        default: return value
        }
    }

    private static func expected(_ row: [Cell]) -> [String?] {
        row.map { withValue($0) { RecordBuilder.selectionText($0) } }
    }

    @Test("each value is what selectionText makes of the cell, on a first and on a repeated row")
    func sameValuesAsSelectionText() {
        let rows: [[Cell]] = [
            [Self.text("  LLM\t"), .number("12.5"), .instant(1_768_435_203_658_803_856)],
            [Self.text(""), Self.text(" \t "), .instant(1_000_000_000)],
            [.null, .absent, .unusable],
            [.text([0x61, 0xFF, 0x62]), Self.text("é"), Self.text("e\u{301}")],
        ]
        let cache = SelectionValueCache()
        for _ in 0..<3 {
            for row in rows { #expect(Self.values(cache, row) == Self.expected(row)) }
        }
    }

    @Test("a row whose cells hold the bytes of a recent row gets the same array back, not a new one")
    func repeatedRowsShareOneArray() {
        let cache = SelectionValueCache()
        let first = Self.values(cache, [Self.text("OK"), Self.text("LLM")])
        _ = Self.values(cache, [Self.text("ERROR"), Self.text("TOOL")])
        let again = Self.values(cache, [Self.text(" OK"), Self.text("LLM ")])
        #expect(again == first)
        let same = first.withUnsafeBufferPointer { a in
            again.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress }
        }
        #expect(same)
    }

    @Test("cells are told apart by their bounds: ab|c is not a|bc, a missing cell is not an empty one")
    func boundsAreKept() {
        let cache = SelectionValueCache()
        #expect(Self.values(cache, [Self.text("ab"), Self.text("c")]) == ["ab", "c"])
        #expect(Self.values(cache, [Self.text("a"), Self.text("bc")]) == ["a", "bc"])
        #expect(Self.values(cache, [.null, Self.text("x")]) == [nil, "x"])
        #expect(Self.values(cache, [Self.text("x"), .null]) == ["x", nil])
        #expect(Self.values(cache, [.instant(5)]) == [FieldValue.instantText(5)])
    }

    @Test("a long cell is handed over exactly but never kept: what the cache holds stays small")
    func longCellsAreNotKept() {
        let cache = SelectionValueCache()
        let long = String(repeating: "x", count: 1 << 20)
        for k in 0..<20 {
            #expect(Self.values(cache, [Self.text(long + "\(k)")]) == [long + "\(k)"])
        }
        #expect(cache.keptBytes == 0)
        _ = Self.values(cache, [Self.text("OK")])
        #expect(cache.keptBytes > 0 && cache.keptBytes <= SelectionValueCache.maxKeptBytes)
    }

    @Test("rows of unique values turn the look-up off after the trial rows; values stay exact")
    func uniqueRowsStopLookingUp() {
        let cache = SelectionValueCache()
        for k in 0..<SelectionValueCache.trialRows {
            #expect(Self.values(cache, [Self.text(String(format: "%016x", k))]) == [String(format: "%016x", k)])
        }
        #expect(!cache.isLookingUp)
        #expect(Self.values(cache, [Self.text("OK")]) == ["OK"])

        // The last trial row a repeat: the hit rate is judged all the same.
        let endsOnAHit = SelectionValueCache()
        for k in 0..<SelectionValueCache.trialRows - 1 { _ = Self.values(endsOnAHit, [Self.text("u\(k)")]) }
        _ = Self.values(endsOnAHit, [Self.text("u\(SelectionValueCache.trialRows - 2)")])
        #expect(!endsOnAHit.isLookingUp)

        let repeating = SelectionValueCache()
        for k in 0..<SelectionValueCache.trialRows + 10 {
            _ = Self.values(repeating, [Self.text(k % 3 == 0 ? "a" : "b")])
        }
        #expect(repeating.isLookingUp)
    }
}
