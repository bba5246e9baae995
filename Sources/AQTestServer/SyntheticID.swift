/// Deterministic hex ids for what a catalogue does not name (the root span of a catalogued trace, the trace of
/// a catalogued span), so every search answers the same objects on every run.
enum SyntheticID {
    /// 16 hex characters, like an OpenTelemetry span id.
    static func span(_ salt: String, _ id: String) -> String {
        hex(fnv1a(salt + "\u{1F}" + id))
    }

    /// 32 hex characters, like an OpenTelemetry trace id.
    static func trace(_ salt: String, _ id: String) -> String {
        hex(fnv1a(salt + "\u{1F}" + id)) + hex(fnv1a(id + "\u{1F}" + salt))
    }

    private static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    private static func hex(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
