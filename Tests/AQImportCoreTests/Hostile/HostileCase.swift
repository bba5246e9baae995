import AQImportCore
import Testing

/// One malformed or hostile input and what reading it must give.
struct HostileCase: Sendable, CustomTestStringConvertible {
    enum Expected: Sendable {
        /// The file is refused: an `InputError` naming the file, the line (when there is one) and a
        /// phrase of the message.
        case refused(line: Int?, message: String)
        /// The file is read: exactly these ids become records, exactly these lines are rejected with
        /// these reason codes.
        case rows(ids: [String], rejected: [Int: String])
    }

    var name: String
    var format: InputFormat
    var options = ReadOptions(projectID: "p1")
    /// Built when the test runs, so that big inputs are never held by the argument list.
    var bytes: @Sendable () -> [UInt8]
    var expected: Expected
    /// Big inputs are read in big chunks only; small ones also byte by byte.
    var chunkSizes = [1, 7, 65_536]

    var testDescription: String { name }

    init(
        _ name: String, _ format: InputFormat, options: ReadOptions = ReadOptions(projectID: "p1"),
        chunkSizes: [Int] = [1, 7, 65_536], expected: Expected, bytes: @escaping @Sendable () -> [UInt8]
    ) {
        self.name = name
        self.format = format
        self.options = options
        self.chunkSizes = chunkSizes
        self.expected = expected
        self.bytes = bytes
    }

    init(
        _ name: String, _ format: InputFormat, options: ReadOptions = ReadOptions(projectID: "p1"),
        expected: Expected, text: String
    ) {
        self.init(name, format, options: options, expected: expected) { Array(text.utf8) }
    }
}
