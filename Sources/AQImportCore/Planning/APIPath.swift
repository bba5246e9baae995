/// Paths of the API, with ids percent-encoded the way the official SDK does it: nothing but the
/// unreserved characters is left as is (`=` becomes `%3D`, `/` `%2F`, `+` `%2B`).
public enum APIPath {
    public static func records(queueID: String) -> String {
        "/v2/annotation-queues/\(percentEncode(queueID))/records"
    }

    public static func queue(_ queueID: String) -> String {
        "/v2/annotation-queues/\(percentEncode(queueID))"
    }

    public static func percentEncode(_ segment: String) -> String {
        var out = ""
        for byte in segment.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out.append("%")
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0xF)])
            }
        }
        return out
    }
}
