import CLibCSV

/// Parses a row's raw bytes again, to give a rejected row back with all its fields. Rare (rejects
/// only), so it favours simplicity: a fresh parser per row.
enum CSVFieldCollector {
    private struct State {
        var fields: [String] = []
        var rows = 0
    }

    static func firstRow(of raw: [UInt8]) -> [String] {
        var parser = csv_parser()
        csv_init(&parser, UInt8(CSV_STRICT | CSV_STRICT_FINI))
        defer { csv_free(&parser) }
        var state = State()
        let field: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = {
            bytes, length, data in
            let state = data!.assumingMemoryBound(to: State.self)
            guard state.pointee.rows == 0 else { return }
            let buffer = UnsafeRawBufferPointer(start: bytes, count: bytes == nil ? 0 : length)
            state.pointee.fields.append(String(decoding: buffer, as: UTF8.self))
        }
        let row: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { _, data in
            data!.assumingMemoryBound(to: State.self).pointee.rows += 1
        }
        withUnsafeMutablePointer(to: &state) { statePointer in
            raw.withUnsafeBytes { bytes in
                _ = csv_parse(&parser, bytes.baseAddress, bytes.count, field, row, statePointer)
            }
            _ = csv_fini(&parser, field, row, statePointer)
        }
        return state.fields
    }
}
