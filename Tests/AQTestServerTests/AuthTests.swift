import AQTestServer
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Auth: Bearer key or 401 problem")
struct AuthTests {
    typealias F = Fixtures

    @Test(
        "401 for a missing, malformed or unknown credential",
        arguments: [nil, "test-key", "Basic dGVzdC1rZXk=", "Bearer wrong-key", "Bearer "])
    func unauthorized(_ authorization: String?) async throws {
        try await Fixtures.withRouter { client async throws in
            var headers: HTTPFields = [.contentType: "application/json"]
            if let authorization { headers[.authorization] = authorization }
            let post = try await F.post(client, F.request(F.span(["a"])), headers: headers)
            try F.expectProblem(post, status: 401, rule: "unauthorized")
            let get = try await client.execute(uri: "/v2/spaces", method: .get, headers: headers)
            try F.expectProblem(get, status: 401, rule: "unauthorized")
        }
    }

    @Test("401 comes before 404: an unknown queue is not revealed without a key")
    func unauthorizedBeforeNotFound() async throws {
        try await Fixtures.withRouter { client async throws in
            let response = try await F.post(
                client, "{}", path: "/v2/annotation-queues/bm9wZQ%3D%3D/records",
                headers: [.contentType: "application/json"])
            try F.expectProblem(response, status: 401, rule: "unauthorized")
        }
    }

    @Test("extra keys from --api-key are accepted beside test-key")
    func extraKeys() async throws {
        var configuration = TestServerConfiguration()
        configuration.apiKeys.append("second-key")
        try await Fixtures.withRouter(configuration) { client async throws in
            for key in ["test-key", "second-key"] {
                let response = try await client.execute(
                    uri: "/v2/spaces", method: .get, headers: [.authorization: "Bearer \(key)"])
                #expect(response.status == .ok)
            }
        }
    }
}
