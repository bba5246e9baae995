import AQImportCore
import FuzzSupport

/// libFuzzer entry point: the input is one timestamp cell. Checks that parsing never traps, that
/// the bytes and String entry points agree on valid UTF-8, and that surrounding spaces change
/// nothing.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTimestamp(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let raw = UnsafeRawBufferPointer(start: data, count: size)
    let outcome = TimestampParser.parse(raw)
    let padded = [0x20] + Array(raw) + [0x20, 0x20]
    let paddedOutcome = padded.withUnsafeBytes { TimestampParser.parse($0) }
    if paddedOutcome != outcome {
        fatalError("spaces changed the outcome: \(outcome) vs \(paddedOutcome)")
    }
    if let text = String(validating: Array(raw), as: UTF8.self) {
        let fromString = TimestampParser.parse(text)
        if fromString != outcome {
            fatalError("String and bytes disagree: \(fromString) vs \(outcome)")
        }
    }
    return 0
}

/// SwiftPM renames an executable's main to <Module>_main on Linux; libFuzzer's driver runs from it.
@_cdecl("FuzzTimestamp_main")
public func fuzzTimestampMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzTimestamp)
}
