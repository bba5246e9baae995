import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The built `aq-test-server` on a free loopback port, stopped with SIGTERM when the test is done.
final class TestServerProcess {
    static let demoQueue = "QW5ub3RhdGlvblF1ZXVlOjE6ZGVtbw=="

    let process = Process()
    let port: Int
    var endpoint: String { "http://127.0.0.1:\(port)" }

    init(_ arguments: [String] = []) throws {
        process.executableURL = BinaryRunner.executable("aq-test-server")
        process.arguments = ["--port", "0"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line is exactly `listening on http://127.0.0.1:PORT`.
        var line = Data()
        while true {
            let byte = out.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data([0x0A]) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("listening on http://127.0.0.1:"), let port = Int(text.split(separator: ":").last ?? "")
        else {
            process.terminate()
            throw ServerError.didNotStart(text)
        }
        self.port = port
    }

    deinit { stop() }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    enum ServerError: Error {
        case didNotStart(String)
        case badAnswer(String)
    }

    func get(_ path: String, key: String = "test-key") async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: endpoint + path)!)
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        let (data, _) = try await URLSession.shared.data(for: request)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ServerError.badAnswer(String(decoding: data, as: UTF8.self))
        }
        return object
    }

    func post(_ path: String, json: String) async throws {
        var request = URLRequest(url: URL(string: endpoint + path)!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(json.utf8)
        _ = try await URLSession.shared.data(for: request)
    }

    func stats() async throws -> [String: Any] { try await get("/_control/stats") }

    /// Every id stored in the queue, as "TYPE id", walking the records listing to its end.
    func storedIDs(queue: String = TestServerProcess.demoQueue) async throws -> [String] {
        var ids: [String] = []
        var cursor: String?
        let encoded = queue.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        repeat {
            var path = "/v2/annotation-queues/\(encoded)/records?limit=500"
            if let cursor { path += "&cursor=\(cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
            let page = try await get(path)
            for record in page["records"] as? [[String: Any]] ?? [] {
                let data = record["data"] as? [String: Any] ?? [:]
                let granularity = record["granularity"] as? String ?? ""
                if let id = data["context.span_id"] as? String, granularity == "SPAN" {
                    ids.append("SPAN \(id)")
                } else if let id = data["context.trace_id"] as? String, granularity == "TRACE" {
                    ids.append("TRACE \(id)")
                } else if let id = data["attributes.session.id"] as? String {
                    ids.append("SESSION \(id)")
                } else if let id = data["id"] as? String {
                    ids.append("EXAMPLE \(id)")
                }
            }
            let pagination = page["pagination"] as? [String: Any]
            cursor = (pagination?["has_more"] as? Bool ?? false) ? pagination?["next_cursor"] as? String : nil
        } while cursor != nil
        return ids
    }
}

/// A short account of how two id sets differ, for failure messages that stay readable.
func difference(_ stored: [String], _ expected: Set<String>) -> String {
    let storedSet = Set(stored)
    let missing = expected.subtracting(storedSet)
    let extra = storedSet.subtracting(expected)
    return "stored \(stored.count) (\(storedSet.count) distinct), expected \(expected.count); "
        + "missing \(missing.count) e.g. \(missing.prefix(3).sorted()), extra \(extra.count) e.g. \(extra.prefix(3).sorted())"
}
