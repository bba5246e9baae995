import AQImportCore
import FuzzSupport

/// libFuzzer entry point: the input is a whole CSV file. It is read twice, once in one chunk and once
/// in small chunks whose size comes from the first byte, and both readings must agree: both fail, or
/// both give the same columns, records and rejections. Any crash, trap, leak or disagreement is a
/// finding.
/// A third reading, in the small chunks with the planner's record runs, must hold the same records
/// and rejections as the whole one.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let small = bytes.isEmpty ? 1 : Int(bytes[0] % 61) + 1
    let whole = FuzzReading.read(bytes, format: .csv, chunkSize: 1 << 16)
    let chunked = FuzzReading.read(bytes, format: .csv, chunkSize: small)
    FuzzReading.check(whole, chunked, chunkSize: small)
    FuzzReading.checkRuns(whole, FuzzReading.read(bytes, format: .csv, chunkSize: small, runs: true), chunkSize: small)
    return 0
}

/// SwiftPM renames an executable's main to <Module>_main on Linux; libFuzzer's driver runs from it.
@_cdecl("FuzzCSV_main")
public func fuzzCSVMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzCSV)
}
