/// Encodes record sources as the add-records JSON body. Written by hand so that the bytes, and so the
/// request ids, are the same on every run and platform: fixed key order, no spaces.
public enum RequestBody {
    public static func encode(_ sources: [RecordSource]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + sources.reduce(0) { $0 + 128 + $1.ids.count * 20 })
        out.append(contentsOf: #"{"record_sources":["#.utf8)
        for (index, source) in sources.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"record_type":""#.utf8)
            out.append(contentsOf: source.kind.recordType.utf8)
            out.append(UInt8(ascii: "\""))
            switch source.scope {
            case .project(let id):
                appendField("project_id", id, to: &out)
            case .dataset(let id, let version):
                appendField("dataset_id", id, to: &out)
                if let version { appendField("dataset_version_id", version, to: &out) }
            }
            if let window = source.window {
                appendField("start_time", window.start.rfc3339, to: &out)
                appendField("end_time", window.end.rfc3339, to: &out)
            }
            out.append(contentsOf: ",\"\(source.kind.idsField)\":[".utf8)
            for (i, id) in source.ids.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if case .hex64(let value) = id {
                    appendHex64(value, to: &out)
                } else {
                    appendJSONString(id.text, to: &out)
                }
            }
            out.append(contentsOf: "]}".utf8)
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }

    /// `"` and the 16 lowercase hex digits of a `RecordID.hex64`, as `appendJSONString(id.text)` writes them.
    @inline(__always)
    private static func appendHex64(_ value: UInt64, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for shift in stride(from: 60, through: 0, by: -4) {
            let digit = UInt8(truncatingIfNeeded: (value >> UInt64(shift)) & 0xF)
            out.append(digit < 10 ? 0x30 &+ digit : 0x57 &+ digit)
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendField(_ key: String, _ value: String, to out: inout [UInt8]) {
        out.append(contentsOf: ",\"\(key)\":".utf8)
        appendJSONString(value, to: &out)
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped, other UTF-8 as is.
    public static func appendJSONString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
