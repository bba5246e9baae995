import AQImportCore
import FuzzSupport

/// libFuzzer entry point: the input is a Parquet footer (Thrift compact protocol), decoded into the
/// metadata, the schema's leaves and every row group's column chunks. Any crash, trap, leak,
/// timeout or out-of-memory is a finding; a refused footer is not.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParquetThrift(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    ParquetFuzzing.decodeFooter(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// SwiftPM renames an executable's main to <Module>_main on Linux; libFuzzer's driver runs from it.
@_cdecl("FuzzParquetThrift_main")
public func fuzzParquetThriftMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzParquetThrift)
}
