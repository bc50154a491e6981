import LeopostCore
import Testing

@Suite("LeopostConfiguration")
struct LeopostConfigurationTests {
    @Test func defaultsNeedNoVariables() throws {
        let configuration = try LeopostConfiguration(environment: [:])
        #expect(configuration.redisURL == nil && configuration.databaseURL == nil)
        #expect(configuration.httpAddress.description == "127.0.0.1:8080")
        #expect(configuration.dataDirectory.hasPrefix("/") && configuration.dataDirectory.hasSuffix("/.leopost"))
        #expect(configuration.maxBodyBytes == 1 << 20)
        #expect(configuration.pluginHTTPTimeout == .seconds(30))
        #expect(!configuration.allowVolatileRedis)
    }

    @Test func readsEveryVariable() throws {
        let configuration = try LeopostConfiguration(environment: [
            "LEOPOST_REDIS_URL": "redis://:pw@10.0.0.1:6380/2",
            "LEOPOST_DATABASE_URL": "postgres://leo@db/leopost",
            "LEOPOST_HTTP_ADDR": "[::1]:9000",
            "LEOPOST_DATA_DIR": "/var/lib/leopost",
            "LEOPOST_MASTER_KEY": String(repeating: "ab", count: 32),
            "LEOPOST_JWT_SECRET": String(repeating: "s", count: 40),
            "LEOPOST_MAX_BODY_BYTES": "65536",
            "LEOPOST_LOG_LEVEL": "debug",
            "LEOPOST_EGRESS_ALLOW": "127.0.0.1:8081, 10.20.0.0/16",
            "LEOPOST_JWT_MAX_LIFETIME_HOURS": "24",
            "LEOPOST_MAX_EVENT_STREAMS": "5",
            "LEOPOST_PLUGIN_HTTP_TIMEOUT": "8",
            "LEOPOST_REDIS_ALLOW_VOLATILE": "1",
        ])
        #expect(configuration.pluginHTTPTimeout == .seconds(8))
        #expect(configuration.allowVolatileRedis)
        #expect(configuration.redisURL?.port == 6380)
        #expect(configuration.httpAddress.host == "::1" && configuration.httpAddress.port == 9000)
        #expect(configuration.dataDirectory == "/var/lib/leopost")
        #expect(configuration.maxBodyBytes == 65536)
        #expect(configuration.egressAllowances.map(\.description) == ["127.0.0.1:8081", "10.20.0.0/16"])
        #expect(configuration.tokenMaxLifetime == .seconds(24 * 3600))
        #expect(configuration.maxEventStreamsPerPerson == 5)
    }

    @Test(arguments: [
        ("LEOPOST_REDIS_URL", "localhost:6379"),
        ("LEOPOST_DATABASE_URL", "mysql://x"),
        ("LEOPOST_HTTP_ADDR", "8080"),
        ("LEOPOST_HTTP_ADDR", "host:99999"),
        ("LEOPOST_MASTER_KEY", "tooshort"),
        ("LEOPOST_JWT_SECRET", "short"),
        ("LEOPOST_MAX_BODY_BYTES", "ten"),
        ("LEOPOST_LOG_LEVEL", "loud"),
        ("LEOPOST_EGRESS_ALLOW", "intranet.local:80"),
        ("LEOPOST_JWT_MAX_LIFETIME_HOURS", "0"),
        ("LEOPOST_MAX_EVENT_STREAMS", "lots"),
        ("LEOPOST_PLUGIN_HTTP_TIMEOUT", "0"),
    ])
    func badValuesAreRefusedNamingTheVariable(variable: String, value: String) {
        #expect {
            try LeopostConfiguration(environment: [variable: value])
        } throws: { error in
            (error as? ConfigurationError)?.variable == variable
        }
    }
}
