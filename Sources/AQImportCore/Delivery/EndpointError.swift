import Foundation

/// Why the endpoint could not be worked out, said so that the user knows which setting to fix.
public enum EndpointError: Error, Sendable, Hashable, LocalizedError {
    case invalid(_ origin: String, _ value: String, _ reason: String)
    case unknownRegion(String)
    case conflicting(String)
    case insecure(String)

    public var errorDescription: String? {
        switch self {
        case .invalid(let origin, let value, let reason):
            "\(origin): \(value.debugDescription) is not usable: \(reason)"
        case .unknownRegion(let region):
            "ARIZE_REGION: unknown region \(region.debugDescription); known regions: "
                + Endpoint.regions.joined(separator: ", ")
        case .conflicting(let what):
            "conflicting endpoint settings: \(what)"
        case .insecure(let url):
            "refusing to send the API key over plain http to \(url); use https, or pass --allow-insecure-http "
                + "if this host is trusted"
        }
    }
}
