import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Ends a connection without an answer. Hummingbird has no API for that, so the handler closes the channel
/// itself (with SO_LINGER 0, so the peer sees a reset rather than a tidy end of stream) and then throws
/// `Dropped`; the answer Hummingbird then tries to write for the error goes nowhere.
enum ConnectionDropper {
    struct Dropped: Error {}

    static func drop(_ channel: any Channel) async {
        if let provider = channel as? any SocketOptionProvider {
            _ = try? await provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        try? await channel.close()
    }
}
