import Foundation

/// Where the API lives: scheme, host, optional port and an optional path prefix (for a proxy).
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    public static let defaultHost = "api.arize.com"
    public static let regions = ["ca-central-1a", "eu-west-1a", "us-central-1a", "us-east-1b"]

    public var scheme: String
    public var host: String
    public var port: Int?
    public var pathPrefix: String

    public init(
        scheme: String = "https", host: String = Endpoint.defaultHost, port: Int? = nil, pathPrefix: String = ""
    ) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.pathPrefix = pathPrefix
    }

    /// `scheme://host[:port][prefix]`, without a trailing slash.
    public var baseURL: String {
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(shownHost)\(port.map { ":\($0)" } ?? "")\(pathPrefix)"
    }

    public var description: String { baseURL }

    public func url(path: String) -> String { baseURL + path }

    public var isLoopback: Bool { Self.isLoopbackHost(host) }

    /// Whether a parsed host is this machine without asking a resolver: an IPv4 literal in 127.0.0.0/8
    /// (four decimal parts, no leading zeros, which some resolvers read as octal), `::1` in any of its
    /// spellings, or exactly `localhost`. Never by prefix (`127.0.0.1.evil.test` is a name) and never a
    /// name that must be resolved (`x.localhost`, `localhost.`).
    public static func isLoopbackHost(_ host: String) -> Bool {
        var bare = host.lowercased()
        if bare.hasPrefix("[") && bare.hasSuffix("]") { bare = String(bare.dropFirst().dropLast()) }
        if bare == "localhost" { return true }
        if let octets = ipv4Octets(bare) { return octets[0] == 127 }
        guard bare.contains(":"), bare.allSatisfy({ $0.isHexDigit || $0 == ":" }) else { return false }
        var address = in6_addr()
        guard inet_pton(AF_INET6, bare, &address) == 1 else { return false }
        return withUnsafeBytes(of: &address) { bytes in bytes.dropLast().allSatisfy { $0 == 0 } && bytes.last == 1 }
    }

    /// The four parts of a dotted-decimal IPv4 literal, or nil.
    static func ipv4Octets(_ text: String) -> [Int]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [Int] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                part == "0" || !part.hasPrefix("0"), let value = Int(part), value <= 255
            else { return nil }
            octets.append(value)
        }
        return octets
    }

    /// Refuses to send the key in clear text to anything but this machine. The one check for every
    /// request that carries the key: deliveries, queue look-ups, --check-remote, verify and undo.
    public func requireSecureTransport(allowInsecureHTTP: Bool) throws(EndpointError) {
        if scheme == "http" && !isLoopback && !allowInsecureHTTP {
            throw .insecure(baseURL)
        }
    }

    /// The endpoint for a run: `--endpoint` when given, else the official SDK's variables
    /// (`ARIZE_REGION`, `ARIZE_API_HOST` with an optional `:port`, `ARIZE_API_SCHEME`, `ARIZE_API_PORT`),
    /// else `https://api.arize.com`. A region and a host are mutually exclusive, as in the SDK's profiles.
    public static func resolve(endpointFlag: String?, environment: [String: String]) throws(EndpointError) -> Endpoint {
        if let flag = endpointFlag {
            return try parse(url: flag, origin: "--endpoint")
        }
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        var endpoint = Endpoint()
        let region = value("ARIZE_REGION")
        let hostValue = value("ARIZE_API_HOST")
        if let region, hostValue != nil {
            throw .conflicting("ARIZE_REGION=\(region) and ARIZE_API_HOST are both set; keep only one")
        }
        if let region {
            guard regions.contains(region.lowercased()) else { throw .unknownRegion(region) }
            endpoint.host = "api.\(region.lowercased()).arize.com"
        }
        if let hostValue {
            let (host, port) = try splitHostPort(hostValue, origin: "ARIZE_API_HOST")
            endpoint.host = host
            endpoint.port = port
        }
        if let scheme = value("ARIZE_API_SCHEME") {
            guard ["http", "https"].contains(scheme.lowercased()) else {
                throw .invalid("ARIZE_API_SCHEME", scheme, "must be http or https")
            }
            endpoint.scheme = scheme.lowercased()
        }
        if let portText = value("ARIZE_API_PORT") {
            let port = try parsePort(portText, origin: "ARIZE_API_PORT")
            if let hostPort = endpoint.port, hostPort != port {
                throw .conflicting("ARIZE_API_HOST carries port \(hostPort) but ARIZE_API_PORT is \(port)")
            }
            endpoint.port = port
        }
        return endpoint
    }

    /// Parses `scheme://host[:port][/prefix]`; a query or fragment is refused.
    public static func parse(url: String, origin: String) throws(EndpointError) -> Endpoint {
        let text = url.trimmingCharacters(in: .whitespaces)
        guard let schemeEnd = text.range(of: "://") else {
            throw .invalid(origin, url, "expected a URL such as https://api.arize.com")
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw .invalid(origin, url, "the scheme must be http or https")
        }
        let rest = text[schemeEnd.upperBound...]
        guard !rest.contains("?") && !rest.contains("#") && !rest.contains("@") else {
            throw .invalid(origin, url, "no query, fragment or user info allowed")
        }
        let authority = rest.prefix { $0 != "/" }
        var prefix = String(rest.dropFirst(authority.count))
        while prefix.hasSuffix("/") { prefix.removeLast() }
        let (host, port) = try splitHostPort(String(authority), origin: origin)
        return Endpoint(scheme: scheme, host: host, port: port, pathPrefix: prefix)
    }

    static func splitHostPort(_ text: String, origin: String) throws(EndpointError) -> (String, Int?) {
        var host = text
        var port: Int?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .invalid(origin, text, "unclosed [ in the host") }
            host = String(text[text.index(after: text.startIndex)..<close])
            let after = text[text.index(after: close)...]
            if after.hasPrefix(":") {
                port = try parsePort(String(after.dropFirst()), origin: origin)
            } else if !after.isEmpty {
                throw .invalid(origin, text, "unexpected text after the host")
            }
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            port = try parsePort(String(text[text.index(after: colon)...]), origin: origin)
        }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "/" }) else {
            throw .invalid(origin, text, "no host name")
        }
        return (host.lowercased(), port)
    }

    static func parsePort(_ text: String, origin: String) throws(EndpointError) -> Int {
        guard let port = Int(text), (1...65_535).contains(port) else {
            throw .invalid(origin, text, "a port is a number from 1 to 65535")
        }
        return port
    }
}
