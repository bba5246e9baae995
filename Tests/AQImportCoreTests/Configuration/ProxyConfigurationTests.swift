import Testing

@testable import AQImportCore

@Suite struct ProxyConfigurationTests {
    @Test func noVariablesMeansNoProxy() throws {
        let proxies = try ProxyConfiguration.resolve(environment: [:])
        #expect(proxies.proxy(scheme: "https", host: "api.arize.com") == nil)
        #expect(proxies.description == "no proxy")
    }

    @Test func arizeProxyURLComesFirst() throws {
        let proxies = try ProxyConfiguration.resolve(environment: [
            "ARIZE_PROXY_URL": "http://arize-proxy:3128", "HTTPS_PROXY": "http://corp:8080",
        ])
        let proxy = try #require(proxies.proxy(scheme: "https", host: "api.arize.com"))
        #expect(proxy.host == "arize-proxy")
        #expect(proxy.port == 3128)
        #expect(proxy.variable == "ARIZE_PROXY_URL")
    }

    @Test func lowerCaseWinsAndHttpsFallsBackToHttpProxy() throws {
        let both = try ProxyConfiguration.resolve(environment: [
            "https_proxy": "http://lower:1", "HTTPS_PROXY": "http://upper:2",
        ])
        #expect(both.httpsProxy?.host == "lower")
        let fallback = try ProxyConfiguration.resolve(environment: ["HTTP_PROXY": "proxy.corp:8080"])
        #expect(
            fallback.httpsProxy
                == ProxyConfiguration.Proxy(scheme: "http", host: "proxy.corp", port: 8080, variable: "HTTP_PROXY"))
        #expect(fallback.httpProxy?.host == "proxy.corp")
        let httpsOnly = try ProxyConfiguration.resolve(environment: ["HTTPS_PROXY": "https://secure.corp"])
        #expect(httpsOnly.httpsProxy?.port == 443)
        #expect(httpsOnly.proxy(scheme: "http", host: "localhost") == nil)
    }

    @Test func credentialsAreParsedButNeverShown() throws {
        let proxies = try ProxyConfiguration.resolve(environment: ["HTTPS_PROXY": "http://alice:s%40cret@proxy:8080/"])
        let proxy = try #require(proxies.httpsProxy)
        #expect(proxy.username == "alice")
        #expect(proxy.password == "s@cret")
        #expect(proxy.basicAuthorization == "Basic YWxpY2U6c0BjcmV0")
        #expect(proxy.description == "http://alice:***@proxy:8080 (from HTTPS_PROXY)")
        #expect(!proxies.description.contains("cret"))
    }

    @Test(arguments: ["socks5://proxy:1080", "http://", "http://proxy:99999", "http://proxy:8080/path"])
    func unusableProxyURLsAreErrors(url: String) {
        #expect(throws: ConfigurationError.self) {
            try ProxyConfiguration.resolve(environment: ["HTTPS_PROXY": url])
        }
    }

    @Test(arguments: [
        ("example.com", "example.com", true),
        ("example.com", "api.example.com", true),
        (".example.com", "api.example.com", true),
        (".example.com", "example.com", true),
        ("example.com", "myexample.com", false),
        ("EXAMPLE.com", "Api.Example.COM", true),
        ("example.com:8080", "api.example.com", true),
        ("*", "anything.at.all", true),
        ("localhost,127.0.0.1", "127.0.0.1", true),
        ("localhost, 127.0.0.1", "localhost:8080", true),
        ("[::1]", "::1", true),
        ("[::1]:8080", "[::1]", true),
        ("other.com", "api.arize.com", false),
        ("", "api.arize.com", false),
        ("*.example.com", "api.example.com", false),
    ])
    func noProxyFollowsCurl(noProxy: String, host: String, bypass: Bool) throws {
        let proxies = try ProxyConfiguration.resolve(environment: [
            "HTTPS_PROXY": "http://proxy:8080", "NO_PROXY": noProxy,
        ])
        #expect(proxies.shouldBypass(host: host) == bypass)
        #expect((proxies.proxy(scheme: "https", host: host) == nil) == bypass)
    }

    @Test func plainHTTPToThisMachineNeverGoesThroughAProxy() throws {
        let proxies = try ProxyConfiguration.resolve(environment: [
            "HTTP_PROXY": "http://proxy.corp:3128", "HTTPS_PROXY": "http://proxy.corp:3128",
        ])
        for host in ["127.0.0.1", "127.3.2.1", "localhost", "::1"] {
            #expect(proxies.proxy(scheme: "http", host: host) == nil, "\(host)")
        }
        #expect(proxies.proxy(scheme: "https", host: "localhost")?.host == "proxy.corp")
        for host in ["127.0.0.1.evil.test", "127.9.evil.test", "x.localhost"] {
            #expect(proxies.proxy(scheme: "http", host: host)?.host == "proxy.corp", "\(host)")
        }
    }

    @Test func lowerCaseNoProxyWins() throws {
        let proxies = try ProxyConfiguration.resolve(environment: ["no_proxy": "a.test", "NO_PROXY": "b.test"])
        #expect(proxies.shouldBypass(host: "a.test"))
        #expect(!proxies.shouldBypass(host: "b.test"))
    }
}
