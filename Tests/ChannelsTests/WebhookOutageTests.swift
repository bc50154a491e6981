import Foundation
import LeopostCore
import LeopostTestSupport
import Testing

/// A redis-server of the test's own, so it can be stopped and started again without touching the
/// one every other test shares. Append-only with fsync on every write, as a production Redis
/// behind Leopost should be.
final class PrivateRedis: @unchecked Sendable {
    let port: Int
    let directory: String
    private var process: Process?

    init() throws {
        port = try FreePort.loopback()
        directory = try TestEnvironment.temporaryDirectory()
    }

    var url: RedisURL { RedisURL(host: "127.0.0.1", port: port) }

    func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        process.arguments = [
            "--port", "\(port)", "--bind", "127.0.0.1", "--dir", directory, "--save", "", "--appendonly", "yes", "--appendfsync", "always",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        try await eventually("redis-server to answer", timeout: .seconds(10)) {
            (try? RedisConnection(url: url).send(RedisCommand("PING")))?.string == "PONG"
        }
    }

    /// Stops the server. (By `SHUTDOWN` rather than a signal: a child started with Foundation's
    /// `Process` inherits the test process's ignored SIGTERM, so `terminate()` would not stop it
    /// and `waitUntilExit()` would wait forever.)
    func stop() {
        guard let process else { return }
        // Asked to shut down over its own protocol (the append-only file is already synced on every write).
        _ = try? RedisConnection(url: url).send(RedisCommand("SHUTDOWN", "NOSAVE"))
        process.waitUntilExit()
        self.process = nil
    }

    deinit { stop() }
}

@Suite("Webhooks while Redis is down")
struct WebhookOutageTests {
    @Test func theWebhookAnswers503AndTheRetriedUpdateIsAnsweredOnceWhenRedisIsBack() async throws {
        let redis = try PrivateRedis()
        try await redis.start()
        defer { redis.stop() }
        try await TelegramSetup.with(redisURL: redis.url) { telegram in
            try await telegram.link(updateID: 1)
            redis.stop()
            let update = TelegramUpdates.text("Draft a post about orchids", updateID: 2)
            #expect(try await telegram.post(update) == 503)
            try await redis.start()
            // Telegram retries until it gets a 2xx; the pools reconnect on their own.
            try await eventually("the retried webhook to be taken") { try await telegram.post(update) == 200 }
            try await eventually("the answer") { telegram.fake.sentTexts(to: "\(TelegramUpdates.chatID)").contains { $0.contains("orchids") } }
            try await Task.sleep(for: .milliseconds(500))
            #expect(telegram.fake.sentTexts(to: "\(TelegramUpdates.chatID)").filter { $0.contains("orchids") }.count == 1)
            #expect(try await telegram.chat.storedMessages("inbound") == 1)
        }
    }
}
