import Foundation

/// The HTTP proxy to reach the API through, from the variables the Arize SDK and curl read.
///
/// For an https endpoint: `ARIZE_PROXY_URL`, then `https_proxy`/`HTTPS_PROXY`, then (as the SDK falls
/// back) `http_proxy`/`HTTP_PROXY`; for plain http: `ARIZE_PROXY_URL`, then `http_proxy`/`HTTP_PROXY`.
/// The lower-case spelling wins over the upper-case one, as in curl; empty values count as unset.
/// `no_proxy`/`NO_PROXY` lists hosts reached directly, with curl's rules (see `shouldBypass(host:)`).
public struct ProxyConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// One proxy. The password is kept for the transport but never shown.
    public struct Proxy: Sendable, Hashable, CustomStringConvertible {
        public var scheme: String
        public var host: String
        public var port: Int
        public var username: String?
        package var password: String?
        /// The variable it was read from.
        public var variable: String

        public init(
            scheme: String, host: String, port: Int, username: String? = nil, password: String? = nil,
            variable: String
        ) {
            self.scheme = scheme
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.variable = variable
        }

        /// The proxy's URL with the password masked, and where it came from.
        public var description: String {
            let user = username.map { "\($0)\(password == nil ? "" : ":***")@" } ?? ""
            let shownHost = host.contains(":") ? "[\(host)]" : host
            return "\(scheme)://\(user)\(shownHost):\(port) (from \(variable))"
        }

        /// The `Proxy-Authorization` header value for basic authentication, when the URL had a user.
        package var basicAuthorization: String? {
            guard let username else { return nil }
            let token = Data("\(username):\(password ?? "")".utf8).base64EncodedString()
            return "Basic \(token)"
        }
    }

    /// The proxy for https requests.
    public var httpsProxy: Proxy?
    /// The proxy for plain http requests.
    public var httpProxy: Proxy?
    /// The `NO_PROXY` entries, lower-cased, without leading dots or ports.
    public var noProxy: [String]

    public init(httpsProxy: Proxy? = nil, httpProxy: Proxy? = nil, noProxy: [String] = []) {
        self.httpsProxy = httpsProxy
        self.httpProxy = httpProxy
        self.noProxy = noProxy
    }

    public var description: String {
        var parts: [String] = []
        if let httpsProxy { parts.append("https via \(httpsProxy)") }
        if let httpProxy, httpProxy != httpsProxy { parts.append("http via \(httpProxy)") }
        if parts.isEmpty { return "no proxy" }
        if !noProxy.isEmpty { parts.append("not for \(noProxy.joined(separator: ","))") }
        return parts.joined(separator: "; ")
    }

    public static func resolve(environment: [String: String]) throws(ConfigurationError) -> ProxyConfiguration {
        func first(_ names: [String]) -> (name: String, value: String)? {
            for name in names {
                if let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
                    return (name, value)
                }
            }
            return nil
        }
        var configuration = ProxyConfiguration()
        if let found = first(["ARIZE_PROXY_URL", "https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"]) {
            configuration.httpsProxy = try parse(found.value, variable: found.name)
        }
        if let found = first(["ARIZE_PROXY_URL", "http_proxy", "HTTP_PROXY"]) {
            configuration.httpProxy = try parse(found.value, variable: found.name)
        }
        if let found = first(["no_proxy", "NO_PROXY"]) {
            configuration.noProxy = found.value
                .split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" })
                .compactMap { normalize(entry: String($0)) }
        }
        return configuration
    }

    /// The proxy to use for a request to `host` over `scheme`, or `nil` to connect directly. Plain http
    /// to this machine is always direct: the key goes over plain http without --allow-insecure-http
    /// only because it never leaves the machine, which a proxy elsewhere would break.
    public func proxy(scheme: String, host: String) -> Proxy? {
        if scheme.lowercased() == "http" && Endpoint.isLoopbackHost(host) { return nil }
        guard !shouldBypass(host: host) else { return nil }
        return scheme.lowercased() == "http" ? httpProxy : httpsProxy
    }

    public func proxy(for endpoint: Endpoint) -> Proxy? {
        proxy(scheme: endpoint.scheme, host: endpoint.host)
    }

    /// curl's `NO_PROXY` rules: `*` alone matches every host; otherwise an entry matches the host
    /// itself and its subdomains, with or without a leading dot (`example.com` and `.example.com` both
    /// match `api.example.com`, neither matches `myexample.com`). Case and ports are ignored.
    public func shouldBypass(host: String) -> Bool {
        guard let name = Self.normalize(host: host) else { return false }
        for entry in noProxy {
            if entry == "*" || name == entry || name.hasSuffix("." + entry) { return true }
        }
        return false
    }

    static func normalize(host: String) -> String? {
        var name = host.trimmingCharacters(in: .whitespaces).lowercased()
        if name.hasPrefix("[") {
            guard let close = name.firstIndex(of: "]") else { return nil }
            name = String(name[name.index(after: name.startIndex)..<close])
        } else if name.filter({ $0 == ":" }).count == 1, let colon = name.firstIndex(of: ":") {
            name = String(name[..<colon])
        }
        while name.hasSuffix(".") { name.removeLast() }
        return name.isEmpty ? nil : name
    }

    static func normalize(entry: String) -> String? {
        let trimmed = entry.trimmingCharacters(in: .whitespaces)
        if trimmed == "*" { return "*" }
        guard var name = normalize(host: trimmed) else { return nil }
        while name.hasPrefix(".") { name.removeFirst() }
        return name.isEmpty ? nil : name
    }

    /// `[scheme://][user[:password]@]host[:port][/]`; no scheme means http, as in curl. Without a port
    /// the scheme's own is used (80, 443), as the SDK's urllib3 does.
    static func parse(_ text: String, variable: String) throws(ConfigurationError) -> Proxy {
        var rest = Substring(text)
        var scheme = "http"
        if let marker = rest.range(of: "://") {
            scheme = rest[..<marker.lowerBound].lowercased()
            rest = rest[marker.upperBound...]
        }
        guard scheme == "http" || scheme == "https" else {
            throw .invalidProxy(
                variable: variable,
                reason: "proxy scheme \(scheme.debugDescription) is not supported; use http or https")
        }
        if let slash = rest.firstIndex(of: "/") {
            guard rest[slash...].allSatisfy({ $0 == "/" }) else {
                throw .invalidProxy(variable: variable, reason: "a proxy URL has no path")
            }
            rest = rest[..<slash]
        }
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                username = String(userInfo[..<colon]).removingPercentEncoding ?? String(userInfo[..<colon])
                let secret = userInfo[userInfo.index(after: colon)...]
                password = String(secret).removingPercentEncoding ?? String(secret)
            } else {
                username = String(userInfo).removingPercentEncoding ?? String(userInfo)
            }
        }
        let host: String
        var port: Int?
        do {
            (host, port) = try Endpoint.splitHostPort(String(rest), origin: variable)
        } catch {
            throw .invalidProxy(variable: variable, reason: "no usable proxy host and port in the URL")
        }
        return Proxy(
            scheme: scheme, host: host, port: port ?? (scheme == "https" ? 443 : 80), username: username,
            password: password, variable: variable)
    }
}
