import NIOCore
import NIOPosix
import Synchronization

/// A TCP relay on 127.0.0.1 in front of a server (Redis), which a test can stall: while stalled
/// it reads nothing from either side, so requests and replies stop in the socket buffers exactly
/// as on a network that hangs. New connections are accepted and stalled too.
public final class StallingProxy: Sendable {
    /// The port clients connect to.
    public let port: Int
    private let server: any Channel
    private let state: State

    final class State: Sendable {
        let stalled = Mutex(false)
        let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

        func setAutoRead(_ on: Bool) {
            for channel in channels.withLock({ Array($0.values) }) { _ = channel.setOption(ChannelOptions.autoRead, value: on) }
        }
    }

    /// Starts relaying to `targetPort` on 127.0.0.1.
    public init(targetPort: Int) async throws {
        let state = State()
        let group = MultiThreadedEventLoopGroup.singleton
        server = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { inbound in
                inbound.setOption(ChannelOptions.autoRead, value: false).flatMap {
                    ClientBootstrap(group: inbound.eventLoop).connect(host: "127.0.0.1", port: targetPort)
                }.flatMap { outbound in
                    for channel in [inbound, outbound] {
                        state.channels.withLock { $0[ObjectIdentifier(channel)] = channel }
                        channel.closeFuture.whenComplete { _ in _ = state.channels.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) } }
                    }
                    let stalled = state.stalled.withLock { $0 }
                    return inbound.pipeline.addHandler(Relay(partner: outbound)).flatMap {
                        outbound.pipeline.addHandler(Relay(partner: inbound))
                    }.flatMap {
                        outbound.setOption(ChannelOptions.autoRead, value: !stalled)
                    }.flatMap {
                        inbound.setOption(ChannelOptions.autoRead, value: !stalled)
                    }
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = server.localAddress?.port ?? 0
        self.state = state
    }

    /// Stops relaying in both directions until ``resume()``.
    public func stall() {
        state.stalled.withLock { $0 = true }
        state.setAutoRead(false)
    }

    /// Stops relaying on the connections open now, for good, while new ones relay as usual: the
    /// old sockets look alive and carry nothing, as half-open ones do after a peer vanished.
    public func stallExisting() {
        state.setAutoRead(false)
    }

    /// Relays again what waited.
    public func resume() {
        state.stalled.withLock { $0 = false }
        state.setAutoRead(true)
    }

    /// Closes the listener and every relayed connection.
    public func close() async {
        try? await server.close()
        for channel in state.channels.withLock({ Array($0.values) }) { try? await channel.close() }
    }

    /// Writes what one side sends to the other, and closes the other when one closes.
    private final class Relay: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let partner: any Channel
        init(partner: any Channel) { self.partner = partner }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            partner.writeAndFlush(unwrapInboundIn(data), promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            partner.close(promise: nil)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
