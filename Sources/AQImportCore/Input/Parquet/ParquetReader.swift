import Crypto

/// Reads a Parquet export by column projection: the footer, then, row group by row group, only the
/// column chunks of the id, time and scope columns (one positioned read each), decoded page by page
/// into the same records and rejections as the other readers. A rejected row's other scalar columns
/// are read (for its row group only) to write it back as an NDJSON object.
final class ParquetReader {
    static let magic: [UInt8] = Array("PAR1".utf8)
    /// A footer larger than this is refused before it is read.
    static let maxFooterBytes = 64 << 20

    let name: String
    let fileIndex: Int
    private let input: RandomAccessInput
    private let footer: [UInt8]
    private let metadata: ParquetFileMetadata
    let schema: ParquetSchema
    private var builder: RecordBuilder?
    private var options = ReadOptions()
    /// The leaves read for (id, time, scope, version), and how each is converted.
    private var roles: [(leaf: ParquetLeafColumn, conversion: ParquetFieldConversion)?] = []
    /// Where each of `ReadOptions.selectionColumns` comes from: one of `roles` (its index), a column of
    /// its own read as text (strings, UUIDs, integers), or nothing (no such scalar column, or another type).
    private enum SelectionSource {
        case role(Int)
        case leaf(ParquetLeafColumn, ParquetFieldConversion)
        case none
    }
    private var selection: [SelectionSource] = []
    private var rowGroups: [ParquetRowGroup] = []
    /// Counted on every row by the reading thread alone: no exclusivity check is needed.
    @exclusivity(unchecked) var stats = FileReadStats()

    /// The leaf columns' dotted names, for column detection.
    var columns: [String] { schema.leaves.map(\.name) }
    /// The leaf columns with their types, for the error that lists them.
    var describedColumns: [String] { schema.leaves.map(\.described) }

    init(input: RandomAccessInput, name: String, fileIndex: Int) throws {
        self.input = input
        self.name = name
        self.fileIndex = fileIndex
        func refuse(_ message: String) -> InputError { InputError(file: name, message: message) }
        let size = input.size
        guard size >= 12 else {
            throw refuse("not a Parquet file: \(size) bytes, too short for the PAR1 header and footer")
        }
        var head = [UInt8](repeating: 0, count: 4)
        try head.withUnsafeMutableBytes { try input.read(at: 0, into: $0) }
        var tail = [UInt8](repeating: 0, count: 8)
        try tail.withUnsafeMutableBytes { try input.read(at: size - 8, into: $0) }
        if Array(tail[4...]) == Array("PARE".utf8) || head == Array("PARE".utf8) {
            throw refuse("the Parquet file is encrypted (PARE); aq-import reads unencrypted files")
        }
        guard head == Self.magic else { throw refuse("not a Parquet file: it does not start with PAR1") }
        guard Array(tail[4...]) == Self.magic else {
            throw refuse("not a complete Parquet file: it does not end with PAR1 (truncated?)")
        }
        let footerLength = Int(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24)
        guard footerLength <= size - 12 else {
            throw refuse("the footer claims \(footerLength) bytes, more than the file's \(size - 12) (truncated?)")
        }
        guard footerLength <= Self.maxFooterBytes else {
            throw refuse("the footer claims \(footerLength) bytes (at most \(Self.maxFooterBytes >> 20) MiB)")
        }
        var footer = [UInt8](repeating: 0, count: footerLength)
        try footer.withUnsafeMutableBytes { try input.read(at: size - 8 - footerLength, into: $0) }
        self.footer = footer
        do {
            metadata = try footer.withUnsafeBytes { (bytes) throws(ParquetFormatError) in
                try ParquetFileMetadata.decode(bytes)
            }
            schema = try ParquetSchema(elements: metadata.schema)
        } catch let error as ParquetFormatError {
            throw refuse(error.description)
        }
    }

    /// The most bytes a page may claim: the row size limit shared by every reader.
    private var maxPageBytes: Int { options.rowSizeLimit.maxBytes }

    /// The end of the column data: where the footer starts.
    private var dataEnd: Int { input.size - 8 - footer.count }

    func configure(mapping: ColumnMapping, options: ReadOptions) throws {
        self.options = options
        builder = RecordBuilder(mapping: mapping, options: options)
        func leaf(_ column: String?, role: String, time: Bool) throws -> (ParquetLeafColumn, ParquetFieldConversion)? {
            guard let column else { return nil }
            guard let leaf = schema.leaves.first(where: { $0.name == column }) else {
                throw InputError(file: name, message: "no column \(column.debugDescription)")
            }
            if leaf.maxRepetitionLevel > 0 {
                throw InputError(
                    file: name,
                    message:
                        "column \(column.debugDescription) is inside a list (it holds several values a row), so it cannot be the \(role) column"
                )
            }
            let conversion = time ? ParquetFieldConversion.forTime(leaf) : ParquetFieldConversion.forID(leaf)
            guard let conversion else {
                let expected =
                    time
                    ? "a timestamp, date, INT96, an epoch number (INT32, INT64, DOUBLE) or a string"
                    : "a string, a UUID or an integer"
                throw InputError(
                    file: name,
                    message:
                        "column \(column.debugDescription) is \(leaf.element.typeDescription) (\(leaf.physicalType.name)); the \(role) column must be \(expected)"
                )
            }
            return (leaf, conversion)
        }
        let timeColumn = mapping.kind.isProjectKind ? mapping.timeColumn : nil
        roles = [
            try leaf(mapping.idColumn, role: "id", time: false),
            try leaf(timeColumn, role: "time", time: true),
            try leaf(mapping.scopeColumn, role: "scope", time: false),
            try leaf(mapping.versionColumn, role: "dataset version", time: false),
        ]
        var wanted = roles.compactMap { $0?.leaf.index }
        selection = options.selectionColumns.map { column in
            if let k = roles.firstIndex(where: { $0?.leaf.name == column }) { return .role(k) }
            guard let leaf = schema.leaves.first(where: { $0.name == column && $0.maxRepetitionLevel == 0 }),
                let conversion = ParquetFieldConversion.forID(leaf)
            else { return .none }
            return .leaf(leaf, conversion)
        }
        for case .leaf(let leaf, _) in selection { wanted.append(leaf.index) }
        do {
            rowGroups = try footer.withUnsafeBytes { (bytes) throws(ParquetFormatError) in
                try metadata.rowGroups(bytes, wanted: wanted, leafCount: schema.leaves.count)
            }
        } catch let error as ParquetFormatError {
            throw InputError(file: name, message: error.description)
        }
        let total = rowGroups.reduce(Int64(0)) { $0 + $1.numRows }
        guard total == metadata.numRows else {
            throw InputError(
                file: name, message: "the footer gives \(metadata.numRows) rows, its row groups \(total)")
        }
    }

    /// One row rejected, waiting for its row group's end to be written with its columns.
    private struct PendingReject {
        var rowInGroup: Int
        var row: Int
        var reason: RejectReason
    }

    func read(_ handle: (ReadEvent) throws -> Void) throws {
        guard let builder else { preconditionFailure("configure before read") }
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 * 64, alignment: 8)
        let selectionScratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 8)
        defer { selectionScratch.deallocate() }
        defer { scratch.deallocate() }
        func slot(_ k: Int) -> UnsafeMutableRawBufferPointer {
            UnsafeMutableRawBufferPointer(rebasing: scratch[(k * 64)..<(k * 64 + 64)])
        }
        let slots = (slot(0), slot(1), slot(2), slot(3))
        var runs = builder.runCollector()
        var rowNumber = 0
        for (groupIndex, group) in rowGroups.enumerated() {
            var cursors: [ParquetColumnCursor?] = []
            var chunkIndex = 0
            for role in roles {
                guard let role else {
                    cursors.append(nil)
                    continue
                }
                do {
                    cursors.append(
                        try ParquetColumnCursor(
                            input: input, chunk: group.chunks[chunkIndex], leaf: role.leaf, dataEnd: dataEnd,
                            maxPageBytes: maxPageBytes))
                } catch {
                    throw located(error, group: groupIndex, column: role.leaf.name)
                }
                chunkIndex += 1
            }
            var selectionCursors: [ParquetColumnCursor] = []
            for case .leaf(let leaf, _) in selection {
                do {
                    selectionCursors.append(
                        try ParquetColumnCursor(
                            input: input, chunk: group.chunks[chunkIndex], leaf: leaf, dataEnd: dataEnd,
                            maxPageBytes: maxPageBytes))
                } catch {
                    throw located(error, group: groupIndex, column: leaf.name)
                }
                chunkIndex += 1
            }
            var pending: [PendingReject] = []
            let rows = Int(group.numRows)
            // Counted in locals: a class's stored property costs an exclusivity check each time.
            var records = 0
            defer {
                stats.rows += rows
                stats.records += records
                stats.rejected += pending.count
            }
            // Held by `cursors` for the row group: handed to `field` unretained, which saves a retain and
            // a release a value.
            let unretained = cursors.map { $0.map(Unmanaged.passUnretained) }
            let (c0, c1, c2, c3) = (unretained[0], unretained[1], unretained[2], unretained[3])
            let (v0, v1, v2, v3) = (
                roles[0]?.conversion, roles[1]?.conversion, roles[2]?.conversion, roles[3]?.conversion
            )
            for rowInGroup in 0..<rows {
                rowNumber += 1
                let origin = RowOrigin(fileIndex: fileIndex, line: rowNumber)
                let id = try field(c0, v0, slots.0, group: groupIndex)
                let time = try field(c1, v1, slots.1, group: groupIndex)
                let scope = try field(c2, v2, slots.2, group: groupIndex)
                let version = try field(c3, v3, slots.3, group: groupIndex)
                var outcome = builder.build(id: id, time: time, scope: scope, version: version, origin: origin)
                if !selection.isEmpty {
                    // The values of the selection's columns; its own cursors advance on every row.
                    var own = 0
                    let values = try builder.selectionCache.values(count: selection.count) { i -> FieldValue in
                        switch selection[i] {
                        case .role(let k): return [id, time, scope, version][k]
                        case .none: return .absent
                        case .leaf(_, let conversion):
                            own += 1
                            return try field(
                                Unmanaged.passUnretained(selectionCursors[own - 1]), conversion, selectionScratch,
                                group: groupIndex)
                        }
                    }
                    outcome = RecordBuilder.withSelection(outcome) { values }
                }
                switch outcome {
                case .entry(let entry, let scope):
                    records += 1
                    try runs!.append(entry, scope: scope, of: builder, to: handle)
                case .record(let record):
                    records += 1
                    try runs?.flush(to: handle)
                    try handle(.record(record))
                case .rejected(let reason):
                    pending.append(PendingReject(rowInGroup: rowInGroup, row: rowNumber, reason: reason))
                }
            }
            withExtendedLifetime(cursors) {}
            try runs?.flush(to: handle)
            if !pending.isEmpty {
                let objects = try rejectedRows(group: groupIndex, rows: pending.map(\.rowInGroup))
                for (reject, object) in zip(pending, objects) {
                    try handle(
                        .rejected(
                            Rejection(
                                file: name, line: reject.row, reason: reject.reason,
                                original: .parquetRow(object: object))))
                }
            }
        }
        stats.lines = rowNumber
        stats.decodedBytes = input.bytesRead
        stats.bytes = input.size
        if options.computeSHA256 { stats.sha256Hex = try hashWholeFile() }
    }

    private func located(_ error: ParquetFormatError, group: Int, column: String) -> InputError {
        InputError(file: name, message: error.located(rowGroup: group, column: column).description)
    }

    /// Advances `cursor` one row and gives its value as the builder reads it (`.absent` for a role
    /// the file has no column for).
    @inline(__always)
    private func field(
        _ cursor: Unmanaged<ParquetColumnCursor>?, _ conversion: ParquetFieldConversion?,
        _ scratch: UnsafeMutableRawBufferPointer, group: Int
    ) throws -> FieldValue {
        guard let cursor, let conversion else { return .absent }
        let present = try cursor._withUnsafeGuaranteedRef { cursor in
            do throws(ParquetFormatError) {
                return try cursor.next()
            } catch {
                throw located(error, group: group, column: cursor.leaf.name)
            }
        }
        guard present else { return .null }
        return cursor._withUnsafeGuaranteedRef { conversion.field($0.value, scratch: scratch) }
    }

    /// The rejected rows of one row group as NDJSON objects of their scalar columns.
    private func rejectedRows(group: Int, rows: [Int]) throws -> [String] {
        let scalar = schema.leaves.filter { $0.maxRepetitionLevel == 0 }
        let chunks: [ParquetColumnChunk]
        do {
            let all = try footer.withUnsafeBytes { (bytes) throws(ParquetFormatError) in
                try metadata.rowGroups(bytes, wanted: scalar.map(\.index), leafCount: schema.leaves.count)
            }
            chunks = all[group].chunks
        } catch let error as ParquetFormatError {
            throw InputError(file: name, message: error.description)
        }
        var objects = [[UInt8]](repeating: [UInt8(ascii: "{")], count: rows.count)
        for (leaf, chunk) in zip(scalar, chunks) {
            // A column that cannot be decoded gives nulls: the row is rejected either way.
            let cursor = try? ParquetColumnCursor(
                input: input, chunk: chunk, leaf: leaf, dataEnd: dataEnd, maxPageBytes: maxPageBytes)
            var row = 0
            var broken = cursor == nil
            for (k, wanted) in rows.enumerated() {
                var present = false
                while !broken && row <= wanted {
                    do {
                        present = try cursor!.next()
                    } catch {
                        broken = true
                    }
                    row += 1
                }
                if objects[k].count > 1 { objects[k].append(UInt8(ascii: ",")) }
                RequestBody.appendJSONString(leaf.name, to: &objects[k])
                objects[k].append(UInt8(ascii: ":"))
                ParquetRowRenderer.appendJSON(present && !broken ? cursor!.value : nil, leaf: leaf, to: &objects[k])
            }
        }
        return objects.map { String(decoding: $0 + [UInt8(ascii: "}")], as: UTF8.self) }
    }

    private func hashWholeFile() throws -> String {
        var hasher = SHA256()
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { chunk.deallocate() }
        var offset = 0
        while offset < input.size {
            let n = min(chunk.count, input.size - offset)
            let part = UnsafeMutableRawBufferPointer(rebasing: chunk[0..<n])
            try input.read(at: offset, into: part)
            hasher.update(bufferPointer: UnsafeRawBufferPointer(part))
            offset += n
        }
        return Hex.encode(hasher.finalize())
    }
}
