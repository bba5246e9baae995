/// Strings kept back to back as UTF-8 in one byte array, with where each one ends: one allocation for
/// them all, where an array of Strings makes one for every string over 15 bytes (a record id is 30 to
/// 40, and a journal holds one for every id it delivered). Compared by their bytes.
public struct PackedStrings: Sendable, Hashable, RandomAccessCollection {
    private var bytes: [UInt8] = []
    private var ends: [Int] = []

    public init() {}

    public init(_ strings: some Sequence<String>) {
        for string in strings { append(string) }
    }

    public mutating func append(_ string: String) {
        bytes.append(contentsOf: string.utf8)
        ends.append(bytes.count)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { ends.count }

    public subscript(position: Int) -> String {
        let start = position == 0 ? 0 : ends[position - 1]
        return String(decoding: bytes[start..<ends[position]], as: UTF8.self)
    }
}
