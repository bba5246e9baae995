extension JSONValue {
    /// A request body that must be one JSON object whose fields are all among `fields`; the API's 400
    /// problems otherwise (malformed JSON, another type, an unknown field).
    static func requestObject(_ body: some Collection<UInt8>, fields: Set<String>) throws(Problem) -> JSONValue {
        let document: JSONValue
        do {
            document = try JSONValue.parse(body)
        } catch {
            throw .badRequest(
                "malformed-json", "request body is not valid JSON: \(error.reason) at byte \(error.offset)")
        }
        guard case .object(let members) = document else {
            throw .badRequest("wrong-type", "request body must be a JSON object, got \(document.typeName)")
        }
        for (name, _) in members where !fields.contains(name) {
            throw .badRequest("unknown-field", "unknown field \"\(name)\" in the request body")
        }
        return document
    }
}
