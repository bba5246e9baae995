import Crypto
import Foundation

/// What identifies one input's content: a resumed run refuses to go on when an input changed.
///
/// A file can be fingerprinted before it is read (`ofFile(atPath:)`) or by the reader while reading.
/// Standard input can only be fingerprinted by reading it: until then its fingerprint is pending
/// (`pending(path:)`), and the caller hands the complete one to `Journal.recordInput(_:)` afterwards.
public struct InputFingerprint: Codable, Sendable, Hashable {
    /// The path as given on the command line; `-` for standard input.
    public var path: String
    /// Size in bytes; `nil` while pending.
    public var size: Int64?
    /// `nil` for standard input (and while pending).
    public var modificationTime: Date?
    /// SHA-256 of the content as 64 lowercase hex characters; `nil` while pending.
    public var sha256: String?

    public init(path: String, size: Int64?, modificationTime: Date?, sha256: String?) {
        self.path = path
        self.size = size
        self.modificationTime = modificationTime
        self.sha256 = sha256
    }

    /// An input whose content has not been read yet.
    public static func pending(path: String) -> InputFingerprint {
        InputFingerprint(path: path, size: nil, modificationTime: nil, sha256: nil)
    }

    /// Whether size and digest are known.
    public var isComplete: Bool { size != nil && sha256 != nil }

    /// Stats and hashes a file (reading it once, in 1 MiB chunks).
    public static func ofFile(atPath path: String) throws -> InputFingerprint {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let modified = attributes[.modificationDate] as? Date
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += Int64(chunk.count)
        }
        return InputFingerprint(
            path: path, size: size, modificationTime: modified, sha256: hexDigest(hasher.finalize()))
    }

    /// Lowercase hex of a digest, for callers that hash while reading.
    public static func hexDigest(_ digest: SHA256.Digest) -> String {
        Hex.encode(digest)
    }

    /// The ways `other` (this run's view of the same input) differs from `self` (the journal's),
    /// comparing only what both know. Modification times within a microsecond are equal, since they
    /// travel through JSON as seconds since 1970.
    func differences(from other: InputFingerprint) -> [String] {
        var changes: [String] = []
        if let old = size, let new = other.size, old != new {
            changes.append("size \(old) -> \(new) bytes")
        }
        // With both contents hashed, a new modification time alone (a `touch`, a copy) changes nothing.
        let bothHashed = sha256 != nil && other.sha256 != nil
        if !bothHashed, let old = modificationTime, let new = other.modificationTime,
            abs(old.timeIntervalSince1970 - new.timeIntervalSince1970) >= 1e-6
        {
            changes.append(
                "modified \(old.formatted(.iso8601)) -> \(new.formatted(.iso8601))")
        }
        if let old = sha256, let new = other.sha256, old != new {
            changes.append("SHA-256 \(old.prefix(12))… -> \(new.prefix(12))…")
        }
        return changes
    }
}
