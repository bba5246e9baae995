import CLZ4
import Foundation
import Testing

@testable import AQImportCore

/// Hostile Parquet: every input is refused with a message (file, row group, column, what was
/// expected), never a crash, a hang or an allocation sized by an unchecked length.
@Suite("Parquet: hostile files")
struct ParquetHostileTests {
    typealias S = ParquetTestSupport

    static func little32(_ v: Int) -> [UInt8] {
        [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24 & 0xFF)]
    }

    @Test("every truncation is refused")
    func truncations() {
        let file = ParquetFixtures.spans
        for length in 0..<file.count {
            let error = S.error(bytes: Array(file[0..<length]))
            #expect(error != nil, "prefix of \(length) bytes was read")
        }
    }

    @Test("damaged footers and pages: an error or a reading, never a crash")
    func mutations() {
        var generator = SplitMix64(seed: 42)
        let file = ParquetFixtures.spans
        for _ in 0..<3000 {
            var bytes = file
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let at = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[at] = UInt8.random(in: 0...255, using: &generator)
            }
            _ = try? S.read(bytes: bytes)
        }
    }

    @Test("not Parquet, encrypted, and footers that lie about their length")
    func framing() throws {
        #expect(S.error(bytes: Array("span_id\nabc\n".utf8))?.message.contains("not a Parquet file") == true)
        var encrypted = ParquetFixtures.spans
        encrypted.replaceSubrange((encrypted.count - 4)..., with: Array("PARE".utf8))
        #expect(S.error(bytes: encrypted)?.message.contains("encrypted") == true)
        var lying = ParquetFixtures.spans
        lying.replaceSubrange((lying.count - 8)..<(lying.count - 4), with: Self.little32(0x7FFF_FFF0))
        #expect(S.error(bytes: lying)?.message.contains("the footer claims") == true)
        var short = ParquetFixtures.spans
        short.replaceSubrange((short.count - 8)..<(short.count - 4), with: Self.little32(3))
        let shortError = S.error(bytes: short)?.message ?? ""
        #expect(shortError.hasPrefix("the footer"), "\(shortError)")
    }

    @Test("Thrift nested without end is refused at depth 64")
    func deepNesting() throws {
        var footer = [UInt8](repeating: 0x1C, count: 100_000)  // field 1 (delta 1), type struct, again and again
        footer += [UInt8](repeating: 0, count: 10)
        let file = Array("PAR1".utf8) + footer + Self.little32(footer.count) + Array("PAR1".utf8)
        #expect(S.error(bytes: file)?.message.contains("nested deeper than 64") == true)
        // Lists of lists too.
        var lists: [UInt8] = [0x29]  // field 2, type list
        lists += [UInt8](repeating: 0x19, count: 50_000)  // one element, of type list
        let file2 = Array("PAR1".utf8) + lists + Self.little32(lists.count) + Array("PAR1".utf8)
        #expect(S.error(bytes: file2) != nil)
    }

    @Test("a list claiming more elements than bytes is refused before anything is reserved")
    func lyingList() throws {
        var footer: [UInt8] = [0x15, 0x02]  // version 1
        footer += [0x19, 0xFC, 0xFF, 0xFF, 0xFF, 0x0F]  // schema: a list of 2^32-1 structs
        let file = Array("PAR1".utf8) + footer + Self.little32(footer.count) + Array("PAR1".utf8)
        #expect(S.error(bytes: file)?.message.contains("elements where") == true)
    }

    static let values = MiniParquet.plain(["0000000000000001", "0000000000000002", "x"])

    @Test("a hand-built file reads")
    func handBuilt() throws {
        let file = MiniParquet(pages: [.init(numValues: 3, body: Self.values)], rows: 3).bytes
        let result = try S.read(
            bytes: file, options: ReadOptions(kind: .span, projectID: "p", fixedWindow: Self.window))
        #expect(result.records.map(\.id.text) == ["0000000000000001", "0000000000000002", "x"])
    }

    @Test("index pages before, between and after data pages are skipped, their bytes never read as values")
    func indexPagesSkipped() throws {
        let junk: [UInt8] = [0xFF, 0x00, 0x13, 0x37, 0x42]
        let index = MiniParquet.Page(type: 1, numValues: 0, body: junk)
        let first = MiniParquet.plain(["0000000000000001", "0000000000000002"])
        let second = MiniParquet.plain(["x"])
        let file = MiniParquet(
            pages: [
                index, .init(numValues: 2, body: first), index, .init(numValues: 1, body: second),
                .init(type: 1, numValues: 0, body: junk, crc: MiniParquet.crc32(junk)),
            ], rows: 3
        ).bytes
        let result = try S.read(bytes: file, options: Self.options)
        #expect(result.records.map(\.id.text) == ["0000000000000001", "0000000000000002", "x"])
        #expect(result.rejections.isEmpty)
    }

    static let window = TimeWindow(
        start: Timestamp(secondsSinceEpoch: 1_768_435_200), end: Timestamp(secondsSinceEpoch: 1_768_435_300))
    static let options = ReadOptions(kind: .span, projectID: "p", fixedWindow: window)

    func refusal(_ file: MiniParquet) -> String {
        S.error(bytes: file.bytes, options: Self.options)?.errorDescription ?? "(read without error)"
    }

    @Test("a page claiming 4 GB is refused before any allocation; a decompression bomb stops at the page size")
    func bombs() throws {
        let claims = MiniParquet(pages: [.init(numValues: 3, body: Self.values, uncompressedSize: Int32.max)], rows: 3)
        #expect(
            refusal(claims).contains("row group 1, column \"span_id\": a page claims 2147483647 bytes uncompressed"))
        // 64 MiB of zeros in a gzip page that says 1 KiB.
        let zeros = [UInt8](repeating: 0, count: 64 << 20)
        let bomb = MiniParquet(
            pages: [.init(numValues: 3, body: InputTestSupport.gzip(zeros), uncompressedSize: 1024)], codec: 2, rows: 3)
        #expect(refusal(bomb).contains("decompresses to more than the 1024 bytes"))
        let zstdLike = MiniParquet(
            pages: [.init(numValues: 3, body: Self.values, uncompressedSize: 1 << 20)], codec: 6, rows: 3)
        #expect(refusal(zstdLike).contains("not valid Zstandard data"))
    }

    @Test("CRC mismatches, unknown codecs and encodings, counts that disagree, bad dictionary indices")
    func pageErrors() throws {
        let good = MiniParquet.crc32(Self.values)
        let crcOK = MiniParquet(pages: [.init(numValues: 3, body: Self.values, crc: good)], rows: 3)
        #expect(try S.read(bytes: crcOK.bytes, options: Self.options).records.count == 3)
        let crcBad = MiniParquet(pages: [.init(numValues: 3, body: Self.values, crc: good ^ 1)], rows: 3)
        #expect(refusal(crcBad).contains("CRC"))
        #expect(
            refusal(MiniParquet(pages: [.init(numValues: 3, body: Self.values)], codec: 99, rows: 3)).contains(
                "unknown compression codec 99"))
        #expect(
            refusal(MiniParquet(pages: [.init(numValues: 3, body: Self.values)], codec: 3, rows: 3)).contains("LZO"))
        #expect(
            refusal(MiniParquet(pages: [.init(numValues: 3, encoding: 42, body: Self.values)], rows: 3)).contains(
                "encoding 42"))
        #expect(
            refusal(MiniParquet(pages: [.init(numValues: 3, body: Self.values)], rows: 4)).contains(
                "ends with 1 values still to come"))
        #expect(refusal(MiniParquet(pages: [.init(numValues: 4, body: Self.values)], rows: 4)).contains("byte array"))
        #expect(
            refusal(MiniParquet(pages: [.init(numValues: 3, body: Self.values)], rows: 3, chunkValues: 2)).contains(
                "where the chunk has 2 left"))
        // A one-entry dictionary, then indices 0 and 5 (RLE runs of bit width 3).
        let dictionary = MiniParquet.Page(type: 2, numValues: 1, body: MiniParquet.plain(["a"]))
        let indices = MiniParquet.Page(numValues: 2, encoding: 8, body: [3, 0x02, 0x00, 0x02, 0x05])
        #expect(
            refusal(MiniParquet(pages: [dictionary, indices], rows: 2)).contains(
                "dictionary index 5 where the dictionary has 1"))
        let wide = MiniParquet.Page(numValues: 2, encoding: 8, body: [40, 0x04, 0x00])
        #expect(refusal(MiniParquet(pages: [dictionary, wide], rows: 2)).contains("bit width of 40 (at most 32)"))
        let noDictionary = MiniParquet.Page(numValues: 2, encoding: 8, body: [1, 0x04, 0x00])
        #expect(refusal(MiniParquet(pages: [noDictionary], rows: 2)).contains("without a dictionary"))
    }

    @Test("GZIP pages of several members, Hadoop-framed LZ4 and LZ4_RAW, a dictionary offset of 0")
    func codecsAndOffsets() throws {
        let members =
            InputTestSupport.gzip(Array(Self.values[0..<10])) + InputTestSupport.gzip(Array(Self.values[10...]))
        let gzip = MiniParquet(
            pages: [.init(numValues: 3, body: members, uncompressedSize: Int32(Self.values.count))], codec: 2, rows: 3)
        #expect(try S.read(bytes: gzip.bytes, options: Self.options).records.count == 3)

        var block = [UInt8](repeating: 0, count: 256)
        let n = Int(
            Self.values.withUnsafeBytes { src in
                block.withUnsafeMutableBytes { dst in
                    LZ4_compress_default(
                        src.baseAddress!.assumingMemoryBound(to: CChar.self),
                        dst.baseAddress!.assumingMemoryBound(to: CChar.self),
                        Int32(src.count), Int32(dst.count))
                }
            })
        let raw = Array(block[0..<n])
        func bigEndian(_ v: Int) -> [UInt8] {
            [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
        }
        let size = Int32(Self.values.count)
        let lz4Raw = MiniParquet(pages: [.init(numValues: 3, body: raw, uncompressedSize: size)], codec: 7, rows: 3)
        #expect(try S.read(bytes: lz4Raw.bytes, options: Self.options).records.count == 3)
        let framed = bigEndian(Self.values.count) + bigEndian(raw.count) + raw
        let hadoop = MiniParquet(pages: [.init(numValues: 3, body: framed, uncompressedSize: size)], codec: 5, rows: 3)
        #expect(try S.read(bytes: hadoop.bytes, options: Self.options).records.count == 3)
        let bare = MiniParquet(pages: [.init(numValues: 3, body: raw, uncompressedSize: size)], codec: 5, rows: 3)
        #expect(try S.read(bytes: bare.bytes, options: Self.options).records.count == 3)

        var encrypted = MiniParquet(pages: [.init(numValues: 3, body: Self.values)], rows: 3)
        encrypted.encryptedColumn = true
        #expect(refusal(encrypted).contains("row group 1: the column is encrypted"))

        var zero = MiniParquet(pages: [.init(numValues: 3, body: Self.values)], rows: 3)
        zero.dictionaryOffset = 0
        #expect(try S.read(bytes: zero.bytes, options: Self.options).records.count == 3)
    }

    @Test("level and value decoders check every length")
    func decoders() {
        func hybrid(_ bytes: [UInt8], width: Int, count: Int) -> String? {
            var out: [UInt32] = []
            do {
                _ = try bytes.withUnsafeBytes {
                    try ParquetDecoding.hybrid($0, bitWidth: width, count: count, into: &out)
                }
                return nil
            } catch let error as ParquetDecoding.Failure {
                return error.message
            } catch {
                return "\(error)"
            }
        }
        #expect(hybrid([0x03, 0xFF], width: 33, count: 8)?.contains("at most 32") == true)
        #expect(hybrid([0x03], width: 8, count: 8)?.contains("longer than its data") == true)
        #expect(hybrid([0x00], width: 1, count: 8)?.contains("length 0") == true)
        #expect(hybrid([0x02], width: 8, count: 1)?.contains("without its value") == true)
        #expect(hybrid([0x04, 0x01], width: 1, count: 1 << 30)?.contains("values in one page") == true)
        #expect(hybrid([0x03, 0b1010_1010], width: 1, count: 8) == nil)

        func delta(_ bytes: [UInt8], max: Int = 1000) -> String? {
            var out: [Int64] = []
            do {
                _ = try bytes.withUnsafeBytes { try ParquetDecoding.deltaBinaryPacked($0, maxCount: max, into: &out) }
                return nil
            } catch let error as ParquetDecoding.Failure {
                return error.message
            } catch {
                return "\(error)"
            }
        }
        #expect(
            delta([0x80, 0x01, 0x04, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00])?.contains("at most 1000 are expected") == true
        )
        #expect(delta([0x80, 0x01, 0x04, 0x05, 0x00, 0x00, 65, 0, 0, 0])?.contains("at most 64") == true)
        #expect(delta([0x81, 0x01, 0x04, 0x05, 0x00])?.contains("block size") == true)
        #expect(delta([0x80, 0x01, 0x04, 0x05, 0x00, 0x00, 8, 0, 0, 0])?.contains("past the data") == true)
        // 1, 2, 3, 4, 5: min delta 1, bit width 0.
        var out: [Int64] = []
        let bytes: [UInt8] = [0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0, 0, 0, 0]
        _ = try? bytes.withUnsafeBytes { try ParquetDecoding.deltaBinaryPacked($0, maxCount: 10, into: &out) }
        #expect(out == [1, 2, 3, 4, 5])
    }
}
