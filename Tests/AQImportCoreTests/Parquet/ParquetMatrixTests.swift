import Foundation
import Testing

@testable import AQImportCore

/// The pyarrow cross-check: a matrix of Parquet files written by pyarrow at test time (every codec,
/// page v1 and v2, dictionary on and off, row groups of 1, 7, 1,000 rows and one, nulls, ids at top
/// level and in a struct, string, large_string, int32, int64 and UUID ids, ms/us/ns times with and
/// without a zone, INT96, epoch numbers, dates, strings, DELTA_* and BYTE_STREAM_SPLIT encodings), each
/// read by aq-import and compared row by row with what pyarrow reads from the same file.
@Suite("Parquet: the pyarrow matrix")
struct ParquetMatrixTests {
    /// Writes the files and `manifest.json`: per file, its id and time columns and, per row, the id
    /// text and the time in epoch nanoseconds as pyarrow reads them (nil for nulls).
    static let script = #"""
        import json, uuid, random, datetime, decimal
        import pyarrow as pa, pyarrow.parquet as pq

        random.seed(11)
        N = 1000
        base = 1768435200_000_000_000  # 2026-01-15T00:00:00Z

        def hex_ids(n, nulls):
            out = []
            for i in range(n):
                if nulls and i % 97 == 5:
                    out.append(None)
                elif i % 50 == 3:
                    out.append("span-\u00e9\U0001F98A %d" % i)
                else:
                    out.append("%016x" % random.getrandbits(64))
            return out

        def times_ns(n, nulls):
            return [None if nulls and i % 89 == 7 else base + i * 1_234_567_891 + random.randrange(1000) for i in range(n)]

        manifest = []
        def emit(name, table, id_col, time_col, **kw):
            pq.write_table(table, name, **kw)
            back = pq.read_table(name)
            if id_col in back.column_names:
                ids = back.column(id_col).to_pylist()
            else:
                top, child = id_col.split('.', 1)
                ids = back.column(top).combine_chunks().field(child).to_pylist()
            def id_text(v):
                if v is None: return None
                if isinstance(v, bytes): return str(uuid.UUID(bytes=v))
                if isinstance(v, uuid.UUID): return str(v)
                return str(v)
            col = back.column(time_col)
            t = col.type
            if pa.types.is_timestamp(t):
                ns = col.cast(pa.timestamp('ns', tz=t.tz)).cast(pa.int64()).to_pylist()
            elif pa.types.is_date32(t):
                ns = [None if v is None else v * 86_400_000_000_000 for v in col.cast(pa.int32()).to_pylist()]
            elif pa.types.is_integer(t) or pa.types.is_floating(t):
                def by_magnitude(v):
                    if v is None: return None
                    i = int(v)
                    unit = 1_000_000_000 if i < 10**11 else 1_000_000 if i < 10**14 else 1_000 if i < 10**17 else 1
                    # As the text of a CSV cell: the float's shortest decimal form, read exactly.
                    return int(decimal.Decimal(repr(v)) * unit) if isinstance(v, float) else i * unit
                ns = [by_magnitude(v) for v in col.to_pylist()]
            else:
                ns = [None if v is None else int(datetime.datetime.fromisoformat(v.replace('Z', '+00:00')).timestamp()) * 1_000_000_000 for v in col.to_pylist()]
            manifest.append({"file": name, "id": id_col, "time": time_col,
                             "rows": [[id_text(a), b] for a, b in zip(ids, ns)]})

        def spans(nulls=False, id_type=pa.string(), unit='ns', tz='UTC', struct=False, n=N):
            ids = hex_ids(n, nulls)
            if id_type == 'uuid':
                arr = pa.array([None if v is None else uuid.UUID(int=random.getrandbits(128)).bytes for v in ids], pa.uuid())
            elif pa.types.is_integer(id_type):
                lim = 2**31 - 1 if id_type == pa.int32() else 2**62
                arr = pa.array([None if v is None else random.randrange(-lim, lim) for v in ids], id_type)
            else:
                arr = pa.array(ids, id_type)
            ns = times_ns(n, nulls)
            div = {'s': 10**9, 'ms': 10**6, 'us': 10**3, 'ns': 1}[unit]
            tarr = pa.array([None if v is None else v // div for v in ns], pa.timestamp(unit, tz=tz))
            cols = {"name": pa.array(["llm"] * n), "start_time": tarr,
                    "attributes.input.value": pa.array(["some long text %d" % i for i in range(n)])}
            if struct:
                cols = {"context": pa.StructArray.from_arrays([arr, pa.array(["t%d" % i for i in range(n)])], ["span_id", "trace_id"]), **cols}
            else:
                cols = {"context.span_id": arr, **cols}
            return pa.table(cols)

        for codec in ["none", "snappy", "gzip", "brotli", "zstd", "lz4"]:
            emit("codec-%s.parquet" % codec, spans(nulls=True), "context.span_id", "start_time", compression=codec, row_group_size=300)
        for version in ["1.0", "2.0"]:
            for dictionary in [True, False]:
                for codec in ["none", "snappy"]:
                    emit("page-v%s-dict-%s-%s.parquet" % (version, dictionary, codec), spans(nulls=True), "context.span_id", "start_time",
                         data_page_version=version, use_dictionary=dictionary, compression=codec, data_page_size=2048)
        for rg in [1, 7, 1000, None]:
            emit("rowgroups-%s.parquet" % rg, spans(), "context.span_id", "start_time", row_group_size=rg)
        emit("struct-ids.parquet", spans(nulls=True, struct=True), "context.span_id", "start_time")
        emit("struct-ids-v2.parquet", spans(nulls=True, struct=True), "context.span_id", "start_time", data_page_version="2.0", use_dictionary=False)
        for name, t in [("large_string", pa.large_string()), ("int32", pa.int32()), ("int64", pa.int64()), ("uuid", "uuid")]:
            emit("id-%s.parquet" % name, spans(nulls=True, id_type=t), "context.span_id", "start_time")
            emit("id-%s-plain.parquet" % name, spans(nulls=True, id_type=t), "context.span_id", "start_time", use_dictionary=False, data_page_version="2.0")
        for unit in ["ms", "us", "ns"]:
            for tz in ["UTC", None, "Europe/Paris"]:
                emit("time-%s-%s.parquet" % (unit, str(tz).replace('/', '_')), spans(nulls=True, unit=unit, tz=tz), "context.span_id", "start_time")
        emit("time-int96.parquet", spans(nulls=True), "context.span_id", "start_time", use_deprecated_int96_timestamps=True)
        emit("time-int96-plain.parquet", spans(nulls=True), "context.span_id", "start_time", use_deprecated_int96_timestamps=True, use_dictionary=False)

        def with_time(values, typ):
            t = spans(nulls=False)
            return t.set_column(t.column_names.index("start_time"), "start_time", pa.array(values, typ))
        ms = [base // 10**6 + i * 1234 for i in range(N)]
        emit("time-epoch-int64-ms.parquet", with_time([None if i % 13 == 1 else v for i, v in enumerate(ms)], pa.int64()), "context.span_id", "start_time")
        emit("time-epoch-int64-ns.parquet", with_time([base + i * 999_999_937 for i in range(N)], pa.int64()), "context.span_id", "start_time")
        emit("time-epoch-int32-s.parquet", with_time([base // 10**9 + i for i in range(N)], pa.int32()), "context.span_id", "start_time")
        emit("time-epoch-double-s.parquet", with_time([base / 1e9 + i * 0.25 for i in range(N)], pa.float64()), "context.span_id", "start_time")
        emit("time-date.parquet", with_time([datetime.date(2026, 1, 1 + i % 28) for i in range(N)], pa.date32()), "context.span_id", "start_time")
        emit("time-string.parquet", with_time(["2026-01-%02dT10:00:%02dZ" % (1 + i % 28, i % 60) for i in range(N)], pa.string()), "context.span_id", "start_time")

        plain = dict(use_dictionary=False)
        emit("enc-delta-byte-array.parquet", spans(nulls=True), "context.span_id", "start_time",
             column_encoding={"context.span_id": "DELTA_BYTE_ARRAY", "start_time": "DELTA_BINARY_PACKED"}, **plain)
        emit("enc-delta-length.parquet", spans(nulls=True), "context.span_id", "start_time",
             column_encoding={"context.span_id": "DELTA_LENGTH_BYTE_ARRAY", "start_time": "BYTE_STREAM_SPLIT"}, **plain)
        emit("enc-delta-v2.parquet", spans(nulls=True), "context.span_id", "start_time", data_page_version="2.0",
             column_encoding={"context.span_id": "DELTA_BYTE_ARRAY", "start_time": "DELTA_BINARY_PACKED"}, **plain)
        emit("enc-bss-uuid.parquet", spans(nulls=True, id_type="uuid"), "context.span_id", "start_time",
             column_encoding={"context.span_id": "BYTE_STREAM_SPLIT", "start_time": "BYTE_STREAM_SPLIT"}, **plain)
        emit("enc-delta-int.parquet", spans(nulls=True, id_type=pa.int64()), "context.span_id", "start_time",
             column_encoding={"context.span_id": "DELTA_BINARY_PACKED", "start_time": "DELTA_BINARY_PACKED"}, **plain)
        emit("enc-delta-int32.parquet", spans(nulls=True, id_type=pa.int32()), "context.span_id", "start_time",
             column_encoding={"context.span_id": "DELTA_BINARY_PACKED", "start_time": "BYTE_STREAM_SPLIT"}, **plain)
        emit("enc-bss-double.parquet", with_time([base / 1e9 + i * 0.5 for i in range(N)], pa.float64()), "context.span_id", "start_time",
             column_encoding={"start_time": "BYTE_STREAM_SPLIT"}, **plain)
        emit("crc.parquet", spans(nulls=True), "context.span_id", "start_time", write_page_checksum=True, data_page_size=4096)
        emit("crc-v2.parquet", spans(nulls=True), "context.span_id", "start_time", write_page_checksum=True, data_page_version="2.0", compression="zstd")
        emit("page-index.parquet", spans(nulls=True), "context.span_id", "start_time", write_page_index=True, data_page_size=1024)

        # The same data as pandas writes it to CSV, for the plans-alike check (not the int64 ids with
        # nulls: pandas turns them into floats).
        csvs = []
        for name in ["codec-snappy.parquet", "rowgroups-7.parquet", "time-ms-None.parquet", "time-us-Europe_Paris.parquet",
                     "time-int96.parquet", "time-epoch-int64-ms.parquet", "time-epoch-double-s.parquet",
                     "time-date.parquet", "enc-delta-byte-array.parquet"]:
            pq.read_table(name).to_pandas().to_csv(name + ".csv", index=False)
            csvs.append(name)
        json.dump(csvs, open("csvs.json", "w"))
        json.dump(manifest, open("manifest.json", "w"))
        print(len(manifest))
        """#

    struct Entry: Decodable {
        var file: String
        var id: String
        var time: String
        var rows: [[Row]]

        enum Row: Decodable {
            case text(String)
            case number(Int64)
            case null
            init(from decoder: Decoder) throws {
                let c = try decoder.singleValueContainer()
                if c.decodeNil() {
                    self = .null
                } else if let n = try? c.decode(Int64.self) {
                    self = .number(n)
                } else {
                    self = .text(try c.decode(String.self))
                }
            }
        }
    }

    static func makeMatrix() throws -> (URL, [Entry])? {
        guard ParquetTestSupport.python != nil else { return nil }
        let dir = try ParquetTestSupport.temporaryDirectory()
        try ParquetTestSupport.runPython(script, in: dir)
        let data = try Data(contentsOf: dir.appendingPathComponent("manifest.json"))
        return (dir, try JSONDecoder().decode([Entry].self, from: data))
    }

    @Test("a Parquet file gives the records and rejections the same data as CSV (pandas to_csv) gives")
    func sameAsCSV() throws {
        guard let (dir, _) = try Self.makeMatrix() else {
            print("skipped: \(ParquetTestSupport.PythonMissing())")
            return
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        let names = try JSONDecoder().decode(
            [String].self, from: Data(contentsOf: dir.appendingPathComponent("csvs.json")))
        #expect(names.count == 9)
        for name in names {
            let options = ReadOptions(idColumn: "context.span_id", timeColumn: "start_time", projectID: "p1")
            let parquet = try ParquetTestSupport.read(path: dir.appendingPathComponent(name).path, options: options)
            let csv = try ParquetTestSupport.read(
                path: dir.appendingPathComponent(name + ".csv").path, options: options)
            #expect(parquet.records.count > 900, "\(name)")
            #expect(parquet.records.map(\.id) == csv.records.map(\.id), "\(name)")
            #expect(parquet.records.map(\.timestamp) == csv.records.map(\.timestamp), "\(name)")
            #expect(parquet.records.map(\.scope) == csv.records.map(\.scope), "\(name)")
            // CSV counts the header as line 1.
            #expect(parquet.records.map(\.origin.line) == csv.records.map { $0.origin.line - 1 }, "\(name)")
            #expect(parquet.rejections.map(\.reason) == csv.rejections.map(\.reason), "\(name)")
            #expect(parquet.rejections.map(\.line) == csv.rejections.map { $0.line - 1 }, "\(name)")
        }
    }

    @Test("aq-import reads exactly the ids and times pyarrow reads, file by file")
    func matrix() throws {
        guard let (dir, entries) = try Self.makeMatrix() else {
            print("skipped: \(ParquetTestSupport.PythonMissing())")
            return
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(entries.count >= 50)
        for entry in entries {
            let path = dir.appendingPathComponent(entry.file).path
            let result: ParquetTestSupport.Result
            do {
                result = try ParquetTestSupport.read(
                    path: path, options: ReadOptions(idColumn: entry.id, timeColumn: entry.time, projectID: "p1"))
            } catch {
                Issue.record("\(entry.file): \(error)")
                continue
            }
            var records = result.records.makeIterator()
            var rejections = result.rejections.makeIterator()
            var mismatches: [String] = []
            for (k, row) in entry.rows.enumerated() {
                let line = k + 1
                guard case let id = row[0], case let time = row[1] else { continue }
                switch (id, time) {
                case (.null, _):
                    let r = rejections.next()
                    if r?.line != line || r?.reason != .missingID {
                        mismatches.append("row \(line): \(String(describing: r))")
                    }
                case (_, .null):
                    let r = rejections.next()
                    if r?.line != line || r?.reason != .missingTimestamp {
                        mismatches.append("row \(line): \(String(describing: r))")
                    }
                case (.text(let text), .number(let ns)):
                    let r = records.next()
                    if r?.origin.line != line || r?.id.text != text || r?.timestamp?.nanosecondsSinceEpoch != ns {
                        mismatches.append(
                            "row \(line): expected \(text) \(ns), read \(String(describing: r?.id.text)) \(String(describing: r?.timestamp?.nanosecondsSinceEpoch))"
                        )
                    }
                default:
                    mismatches.append("row \(line): unexpected manifest row \(row)")
                }
            }
            #expect(records.next() == nil, "\(entry.file): more records than rows")
            #expect(rejections.next() == nil, "\(entry.file): more rejections than rows")
            #expect(result.stats.rows == entry.rows.count, "\(entry.file)")
            #expect(mismatches.count == 0, "\(entry.file): \(mismatches.prefix(5))")
        }
    }
}
