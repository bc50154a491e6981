import LeopostCore
import Testing

@Suite("RedisURL")
struct RedisURLTests {
    @Test func parsesEveryPart() throws {
        let url = try RedisURL("redis://:s%40cret@cache.internal:6380/3")
        #expect(url == RedisURL(host: "cache.internal", port: 6380, password: "s@cret", database: 3))
        #expect(!url.description.contains("cret"))
    }

    @Test func defaultsPortAndDatabase() throws {
        #expect(try RedisURL("redis://127.0.0.1") == RedisURL(host: "127.0.0.1"))
        #expect(try RedisURL("redis://user:pw@h:1/").username == "user")
    }

    @Test(arguments: ["http://x:1", "redis://", "redis://:pw@:6379", "redis://h:notaport", "redis://h:70000", "redis://h:1/db"])
    func refusesMalformed(_ text: String) {
        #expect { try RedisURL(text) } throws: { ($0 as? RedisError)?.code == .invalidURL }
    }
}
