import AQImportCore
import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `HTTPTransport` over AsyncHTTPClient: TLS verified against the system roots (plus a private CA from
/// `ARIZE_SSL_CA_CERT` when given), connect and request timeouts, no redirects followed (a POST must
/// not silently become a GET elsewhere), and a keep-alive pool sized to the sender's concurrency.
/// Call `shutdown()` when done.
public final class AsyncHTTPClientTransport: HTTPTransport {
    public struct Configuration: Sendable {
        public var connectTimeout: Duration
        /// The deadline of a whole exchange when the request carries none.
        public var requestTimeout: Duration
        /// Connections kept per host: the sender's concurrency.
        public var concurrency: Int
        /// A PEM file of CA certificates trusted in addition to the system's.
        public var caCertificateFile: String?
        /// The most response body read; larger answers fail (no API answer comes near it).
        public var maxResponseBytes: Int
        /// `ARIZE_REQUEST_VERIFY=false` (or a profile's `request_verify = false`) turns certificate checks
        /// off, as the SDK allows; the caller should warn when it does.
        public var verifyCertificates: Bool
        /// An http proxy (`ProxyConfiguration.proxy(for:)`); https is tunnelled through it with CONNECT.
        public var proxy: ProxyConfiguration.Proxy?

        public init(
            connectTimeout: Duration = .seconds(10), requestTimeout: Duration = .seconds(60), concurrency: Int = 4,
            caCertificateFile: String? = nil, maxResponseBytes: Int = 64 << 20, verifyCertificates: Bool = true,
            proxy: ProxyConfiguration.Proxy? = nil
        ) {
            self.connectTimeout = connectTimeout
            self.requestTimeout = requestTimeout
            self.concurrency = concurrency
            self.caCertificateFile = caCertificateFile
            self.maxResponseBytes = maxResponseBytes
            self.verifyCertificates = verifyCertificates
            self.proxy = proxy
        }
    }

    private let client: HTTPClient
    private let configuration: Configuration
    private let logger: Logger?

    /// Throws `TransportError` when the CA file cannot be read as PEM certificates or the proxy is not
    /// an http one.
    public init(configuration: Configuration = Configuration(), logger: Logger? = nil) throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = configuration.verifyCertificates ? .fullVerification : .none
        if let path = configuration.caCertificateFile {
            do {
                tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(path))]
            } catch {
                throw TransportError.tlsFailure(
                    "cannot load CA certificates from \(path) (ARIZE_SSL_CA_CERT): \(error)")
            }
        }
        var clientConfiguration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow,
            timeout: .init(connect: Self.timeAmount(configuration.connectTimeout)),
            connectionPool: .init(
                idleTimeout: .seconds(60),
                concurrentHTTP1ConnectionsPerHostSoftLimit: max(configuration.concurrency, 1)),
            decompression: .disabled)
        clientConfiguration.httpVersion = .automatic
        if let proxy = configuration.proxy {
            guard proxy.scheme == "http" else {
                throw TransportError.invalidRequest(
                    "proxy \(proxy) uses \(proxy.scheme); only http proxies are supported (https goes through them)")
            }
            let authorization = proxy.username.map {
                HTTPClient.Authorization.basic(username: $0, password: proxy.password ?? "")
            }
            clientConfiguration.proxy = .server(host: proxy.host, port: proxy.port, authorization: authorization)
        }
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        self.configuration = configuration
        self.logger = logger
    }

    /// `ARIZE_SSL_CA_CERT`, when set and not empty.
    public static func caCertificateFile(environment: [String: String]) -> String? {
        guard let path = environment["ARIZE_SSL_CA_CERT"], !path.isEmpty else { return nil }
        return path
    }

    public func shutdown() async throws {
        try await client.shutdown()
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers {
            outgoing.headers.add(name: header.name, value: header.value)
        }
        if !request.body.isEmpty {
            outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        }
        let timeout = Self.timeAmount(request.timeout ?? configuration.requestTimeout)
        do {
            let response = try await client.execute(outgoing, deadline: .now() + timeout, logger: logger)
            let body = try await response.body.collect(upTo: configuration.maxResponseBytes)
            return HTTPResponse(
                status: Int(response.status.code),
                headers: response.headers.map { (name: $0.name, value: $0.value) },
                body: Array(buffer: body))
        } catch {
            if Task.isCancelled || error is CancellationError { throw CancellationError() }
            throw Self.classify(error)
        }
    }

    /// Maps what NIO and AsyncHTTPClient throw to the few cases the retry policy knows.
    static func classify(_ error: any Error) -> TransportError {
        let text = String(describing: error)
        switch error {
        case let error as TransportError:
            return error
        case let error as HTTPClientError:
            switch error {
            case .connectTimeout, .deadlineExceeded, .readTimeout, .writeTimeout, .tlsHandshakeTimeout,
                .getConnectionFromPoolTimeout:
                return .timedOut(text)
            case .remoteConnectionClosed:
                return .noResponse(text)
            case .invalidURL, .emptyHost, .emptyScheme, .missingSocketPath:
                return .invalidRequest(text)
            default:
                return .noResponse(text)
            }
        case let error as ChannelError:
            switch error {
            case .connectTimeout: return .timedOut(text)
            case .eof, .ioOnClosedChannel, .alreadyClosed, .inputClosed, .outputClosed: return .noResponse(text)
            default: return .connectionReset(text)
            }
        case let error as IOError:
            switch error.errnoCode {
            case ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL: return .connectionFailed(text)
            case ETIMEDOUT: return .timedOut(text)
            default: return .connectionReset(text)
            }
        case let error as NIOSSLError:
            if case .uncleanShutdown = error { return .connectionReset(text) }
            return .tlsFailure(text)
        default:
            // NIOPosix's connection errors (refused, no address) come without a public type we may import.
            let typeName = String(reflecting: type(of: error))
            if typeName.contains("NIOConnectionError") || typeName.contains("SocketAddressError") {
                return .connectionFailed(text)
            }
            if typeName.contains("NIOSSL") || typeName.contains("BoringSSL") {
                return .tlsFailure(text)
            }
            return .noResponse(text)
        }
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
