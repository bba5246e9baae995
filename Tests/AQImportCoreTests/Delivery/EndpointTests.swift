import Testing

@testable import AQImportCore

@Suite struct EndpointTests {
    @Test func defaultIsArizeCloud() throws {
        let endpoint = try Endpoint.resolve(endpointFlag: nil, environment: [:])
        #expect(endpoint.baseURL == "https://api.arize.com")
        #expect(
            endpoint.url(path: APIPath.records(queueID: "a="))
                == "https://api.arize.com/v2/annotation-queues/a%3D/records")
    }

    @Test(arguments: Endpoint.regions)
    func regions(region: String) throws {
        let endpoint = try Endpoint.resolve(endpointFlag: nil, environment: ["ARIZE_REGION": region])
        #expect(endpoint.baseURL == "https://api.\(region).arize.com")
    }

    @Test func unknownRegionIsAnError() {
        #expect(throws: EndpointError.unknownRegion("mars-1a")) {
            try Endpoint.resolve(endpointFlag: nil, environment: ["ARIZE_REGION": "mars-1a"])
        }
    }

    @Test func hostSchemeAndPortVariables() throws {
        let withPort = try Endpoint.resolve(
            endpointFlag: nil, environment: ["ARIZE_API_HOST": "localhost:8080", "ARIZE_API_SCHEME": "http"])
        #expect(withPort.baseURL == "http://localhost:8080")
        let separatePort = try Endpoint.resolve(
            endpointFlag: nil, environment: ["ARIZE_API_HOST": "arize.internal", "ARIZE_API_PORT": "8443"])
        #expect(separatePort.baseURL == "https://arize.internal:8443")
        #expect(throws: EndpointError.self) {
            try Endpoint.resolve(endpointFlag: nil, environment: ["ARIZE_API_HOST": "h:1", "ARIZE_API_PORT": "2"])
        }
        #expect(throws: EndpointError.self) {
            try Endpoint.resolve(endpointFlag: nil, environment: ["ARIZE_API_SCHEME": "ftp"])
        }
        #expect(throws: EndpointError.self) {
            try Endpoint.resolve(endpointFlag: nil, environment: ["ARIZE_API_PORT": "70000"])
        }
        #expect(throws: EndpointError.self) {
            try Endpoint.resolve(endpointFlag: nil, environment: ["ARIZE_REGION": "eu-west-1a", "ARIZE_API_HOST": "h"])
        }
    }

    @Test func flagBeatsEnvironment() throws {
        let endpoint = try Endpoint.resolve(
            endpointFlag: "http://127.0.0.1:9000/", environment: ["ARIZE_REGION": "eu-west-1a", "ARIZE_API_HOST": "x"])
        #expect(endpoint == Endpoint(scheme: "http", host: "127.0.0.1", port: 9000))
        let prefixed = try Endpoint.parse(url: "https://proxy.example/arize/", origin: "--endpoint")
        #expect(prefixed.url(path: "/v2/x") == "https://proxy.example/arize/v2/x")
        let ipv6 = try Endpoint.parse(url: "http://[::1]:8080", origin: "--endpoint")
        #expect(ipv6.baseURL == "http://[::1]:8080")
        #expect(ipv6.isLoopback)
        #expect(throws: EndpointError.self) { try Endpoint.parse(url: "api.arize.com", origin: "--endpoint") }
        #expect(throws: EndpointError.self) { try Endpoint.parse(url: "https://user@host", origin: "--endpoint") }
    }

    @Test func plainHTTPOnlyToLoopbackUnlessAllowed() throws {
        try Endpoint(scheme: "http", host: "localhost", port: 8080).requireSecureTransport(allowInsecureHTTP: false)
        try Endpoint(scheme: "http", host: "127.0.0.1").requireSecureTransport(allowInsecureHTTP: false)
        try Endpoint(scheme: "https", host: "api.arize.com").requireSecureTransport(allowInsecureHTTP: false)
        #expect(throws: EndpointError.insecure("http://api.arize.com")) {
            try Endpoint(scheme: "http", host: "api.arize.com").requireSecureTransport(allowInsecureHTTP: false)
        }
        try Endpoint(scheme: "http", host: "api.arize.com").requireSecureTransport(allowInsecureHTTP: true)
    }

    @Test func loopbackIsDecidedFromTheParsedHostNeverByPrefixOrName() throws {
        for url in [
            "http://127.0.0.1:80", "http://127.9.0.1", "http://127.255.255.254", "http://localhost:8080",
            "http://LOCALHOST", "http://[::1]:9", "http://[0:0:0:0:0:0:0:1]", "http://[::0001]",
        ] {
            let endpoint = try Endpoint.parse(url: url, origin: "--endpoint")
            #expect(endpoint.isLoopback, "\(url)")
            try endpoint.requireSecureTransport(allowInsecureHTTP: false)
        }
        for url in [
            "http://127.0.0.1.evil.test:80", "http://127.9.evil.test", "http://127.evil", "http://127.1",
            "http://127.0.0.01", "http://0127.0.0.1", "http://127.0.0.256", "http://127.0.0.1.", "http://x.localhost",
            "http://localhost.", "http://localhost.evil.test", "http://[::2]", "http://[::ffff:127.0.0.1]",
            "http://0.0.0.0", "http://[::1%25lo]", "http://128.0.0.1",
        ] {
            let endpoint = try Endpoint.parse(url: url, origin: "--endpoint")
            #expect(!endpoint.isLoopback, "\(url)")
            #expect(throws: EndpointError.self, "\(url)") {
                try endpoint.requireSecureTransport(allowInsecureHTTP: false)
            }
        }
    }
}
