import Foundation
import LeopostCore
import LeopostTestSupport
import Synchronization
import Testing

private final class WakeCount: Sendable {
    let count = Mutex(0)
}

/// The event hub's subscription reads nothing while no one publishes, so a socket that went
/// half-open (Redis gone without closing it) would look exactly like a quiet one; its pings tell
/// them apart, and the hub subscribes anew.
@Suite("Conversation event hub: a half-open subscription is noticed")
struct ConversationEventHubPingTests {
    let logger = TestEnvironment.logger()

    @Test func aSubscriptionThatStopsAnsweringIsRenewedAndEventsArriveAgain() async throws {
        try await withTestRedis(logger: logger) { redis in
            let proxy = try await StallingProxy(targetPort: redis.url.port)
            let hub = ConversationEventHub(
                url: RedisURL(host: "127.0.0.1", port: proxy.port, database: redis.url.database),
                configuration: .init(heartbeatInterval: .seconds(3600), reconnectDelay: .milliseconds(100), pingInterval: .milliseconds(200)),
                logger: logger)
            let log = ConversationEventLog(redis: redis)
            let conversation = UUID()
            let wakes = WakeCount()
            try await withRunningServices([hub], logger: logger) {
                let listener = Task {
                    for await signal in hub.signals(for: conversation) where signal == .wake { wakes.count.withLock { $0 += 1 } }
                }
                defer { listener.cancel() }
                try await eventually("the first event") {
                    _ = try await log.publish(.messageReceived, data: "{}", conversation: conversation)
                    return wakes.count.withLock { $0 } > 0
                }
                // The subscription's socket stays open and carries nothing from now on.
                proxy.stallExisting()
                try await Task.sleep(for: .milliseconds(100))
                let before = wakes.count.withLock { $0 }
                try await eventually("events after the subscription was renewed", timeout: .seconds(20)) {
                    _ = try await log.publish(.messageReceived, data: "{}", conversation: conversation)
                    return wakes.count.withLock { $0 } >= before + 2
                }
            }
            await proxy.close()
        }
    }
}
