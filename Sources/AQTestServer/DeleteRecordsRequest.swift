/// The body of `DELETE /v2/annotation-queues/{id}/records`: `{"record_ids": [...]}` with 1 to 100 non-empty
/// strings. Shape errors are 400, the count and empty ids 422, as for adding records.
struct DeleteRecordsRequest: Sendable {
    static let maxIDs = 100

    var recordIDs: [String]

    init(body: some Collection<UInt8>) throws(Problem) {
        let document = try JSONValue.requestObject(body, fields: ["record_ids"])
        guard let value = document["record_ids"] else {
            throw .badRequest("missing-field", "record_ids is required")
        }
        guard case .array(let elements) = value else {
            throw .badRequest("wrong-type", "record_ids must be an array, got \(value.typeName)")
        }
        var ids: [String] = []
        ids.reserveCapacity(elements.count)
        for (offset, element) in elements.enumerated() {
            guard case .string(let id) = element else {
                throw .badRequest("wrong-type", "record_ids[\(offset)] must be a string, got \(element.typeName)")
            }
            ids.append(id)
        }
        guard (1...Self.maxIDs).contains(ids.count) else {
            throw .unprocessable(
                "list-limit", "record_ids has \(ids.count) ids, a request deletes 1 to \(Self.maxIDs)")
        }
        if let empty = ids.firstIndex(where: \.isEmpty) {
            throw .unprocessable("empty-id", "record_ids[\(empty)] is an empty string")
        }
        recordIDs = ids
    }
}
