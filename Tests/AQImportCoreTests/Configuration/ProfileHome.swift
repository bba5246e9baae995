import Foundation

/// A temporary home directory with an `.arize` folder, removed when the test ends.
struct ProfileHome: ~Copyable {
    let path: String

    init() throws {
        path =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("aq-profile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(
            atPath: path + "/.arize/profiles", withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func write(profile name: String, _ text: String) throws {
        try text.write(toFile: "\(path)/.arize/profiles/\(name).toml", atomically: true, encoding: .utf8)
    }

    func activate(_ name: String) throws {
        try "\(name)\n".write(toFile: path + "/.arize/.active_profile", atomically: true, encoding: .utf8)
    }
}
