import Hummingbird
import NIOCore

/// The request context of the double: the standard storage plus the connection's channel, which the
/// `reset` and `lost-ack` faults close under the handler's feet.
struct ServerRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    var maxUploadSize: Int { 8 * 1024 * 1024 }
}
