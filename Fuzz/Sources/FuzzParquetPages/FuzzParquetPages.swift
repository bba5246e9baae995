import AQImportCore
import FuzzSupport

/// libFuzzer entry point: the input is a column chunk (its first byte picks the physical type,
/// optional or required, and the codec), decoded page by page value by value: page headers,
/// decompression, levels, dictionaries and every value encoding. Any crash, trap, leak, timeout or
/// out-of-memory is a finding; a refused page is not.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParquetPages(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    ParquetFuzzing.decodeColumnChunk(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// SwiftPM renames an executable's main to <Module>_main on Linux; libFuzzer's driver runs from it.
@_cdecl("FuzzParquetPages_main")
public func fuzzParquetPagesMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzParquetPages)
}
