import AQImportCore
import FuzzSupport

/// libFuzzer entry point: the input is a whole `.json` file (a JSON array of objects, or NDJSON named
/// .json), read in one chunk and in small chunks; both readings must agree, and every rejected
/// object must come back as one NDJSON line. Any crash, trap, leak or disagreement is a finding.
/// A third reading, in the small chunks with the planner's record runs, must hold the same records
/// and rejections as the whole one.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONArray(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let small = bytes.isEmpty ? 1 : Int(bytes[bytes.count - 1] % 61) + 1
    let whole = FuzzReading.read(bytes, format: .json, chunkSize: 1 << 16)
    let chunked = FuzzReading.read(bytes, format: .json, chunkSize: small)
    FuzzReading.check(whole, chunked, chunkSize: small)
    FuzzReading.checkRuns(whole, FuzzReading.read(bytes, format: .json, chunkSize: small, runs: true), chunkSize: small)
    for case .rejected(let rejection) in whole.events {
        if case .ndjson(let line) = rejection.original, line.utf8.contains(0x0A) {
            fatalError("a rejected object kept on more than one line: \(line.debugDescription)")
        }
    }
    return 0
}

/// SwiftPM renames an executable's main to <Module>_main on Linux; libFuzzer's driver runs from it.
@_cdecl("FuzzJSONArray_main")
public func fuzzJSONArrayMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzJSONArray)
}
