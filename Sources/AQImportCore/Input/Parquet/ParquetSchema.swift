/// A leaf column of the schema tree: its dotted path (`context.span_id`), type and levels.
struct ParquetLeafColumn: Sendable, Hashable {
    /// The position among the leaves, which is the column chunk's position in each row group.
    var index: Int
    var path: [String]
    var element: ParquetSchemaElement
    var maxDefinitionLevel: Int
    var maxRepetitionLevel: Int

    var name: String { path.joined(separator: ".") }
    var physicalType: ParquetPhysicalType { element.type ?? .byteArray }

    /// `"context.span_id" (string)`, for the error that lists the columns.
    var described: String { "\(name.debugDescription) (\(element.typeDescription))" }
}

/// The schema tree, flattened to its leaves.
struct ParquetSchema: Sendable {
    static let maxDepth = 100
    static let maxLevel = 250

    let leaves: [ParquetLeafColumn]

    init(elements: [ParquetSchemaElement]) throws(ParquetFormatError) {
        guard let root = elements.first else { throw ParquetFormatError("an empty schema") }
        guard root.type == nil, root.numChildren > 0 || elements.count == 1 else {
            throw ParquetFormatError("a schema whose root is not a group")
        }
        var leaves: [ParquetLeafColumn] = []
        // Each open group: how many children it still expects, its path, and its levels.
        var stack: [(remaining: Int, path: [String], def: Int, rep: Int)] = [(root.numChildren, [], 0, 0)]
        var next = 1
        while let top = stack.last {
            if top.remaining == 0 {
                stack.removeLast()
                continue
            }
            stack[stack.count - 1].remaining -= 1
            guard next < elements.count else {
                throw ParquetFormatError("the schema's groups announce more children than it lists")
            }
            let element = elements[next]
            next += 1
            guard let repetition = element.repetition else {
                throw ParquetFormatError("schema element \(element.name.debugDescription) has no repetition type")
            }
            let def = top.def + (repetition == .required ? 0 : 1)
            let rep = top.rep + (repetition == .repeated ? 1 : 0)
            guard def <= Self.maxLevel else { throw ParquetFormatError("the schema is nested too deeply") }
            let path = top.path + [element.name]
            if element.type == nil {
                guard element.numChildren > 0 else {
                    throw ParquetFormatError("schema group \(element.name.debugDescription) has no children")
                }
                guard stack.count < Self.maxDepth else {
                    throw ParquetFormatError("the schema is nested deeper than \(Self.maxDepth) levels")
                }
                stack.append((element.numChildren, path, def, rep))
            } else {
                if element.type == .fixedLenByteArray, element.typeLength <= 0 {
                    throw ParquetFormatError(
                        "column \(path.joined(separator: ".").debugDescription) is FIXED_LEN_BYTE_ARRAY without a length"
                    )
                }
                leaves.append(
                    ParquetLeafColumn(
                        index: leaves.count, path: path, element: element, maxDefinitionLevel: def,
                        maxRepetitionLevel: rep))
            }
        }
        guard next == elements.count else {
            throw ParquetFormatError("the schema lists \(elements.count - next) elements outside its tree")
        }
        self.leaves = leaves
    }
}
