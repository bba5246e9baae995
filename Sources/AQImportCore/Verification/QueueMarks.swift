/// Which entries of `DeliveredIDs` a listing of the queue showed: a byte an entry, and the record id
/// the listing showed only for the entries a verification journals as found (no record tied to them,
/// not in the baseline). A listing of the whole queue so holds no second copy of every record id.
public struct QueueMarks: Sendable, ExpressibleByArrayLiteral {
    private var listed: [Bool]
    private var recordIDs: [Int: String] = [:]

    public init(count: Int) {
        listed = [Bool](repeating: false, count: count)
    }

    /// Entry `i` listed with record id `elements[i]`, or not listed (nil).
    public init(arrayLiteral elements: String?...) {
        listed = elements.map { $0 != nil }
        for (at, recordID) in elements.enumerated() {
            if let recordID { recordIDs[at] = recordID }
        }
    }

    public func isListed(_ at: Int) -> Bool { listed[at] }

    /// Whether the listing showed every entry.
    public var allListed: Bool { !listed.contains(false) }

    /// The record id the listing showed for entry `at`, when it was kept.
    public func recordID(of at: Int) -> String? { recordIDs[at] }

    /// Entry `at` was listed; `recordID` is kept when given.
    public mutating func mark(_ at: Int, recordID: String?) {
        listed[at] = true
        if let recordID { recordIDs[at] = recordID }
    }
}
