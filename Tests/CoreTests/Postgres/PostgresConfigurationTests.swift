import Testing

@testable import LeopostCore

@Suite("PostgresConfiguration URL parsing")
struct PostgresConfigurationTests {
    @Test func parsesAFullURL() throws {
        let configuration = try PostgresConfiguration(
            url: "postgres://leo%40ops:p%40ss%3Aw0rd%2F@db.internal:6543/leo%20post?sslmode=require&application_name=leopost-api")
        #expect(configuration.user == "leo@ops")
        #expect(configuration.password == "p@ss:w0rd/")
        #expect(configuration.host == "db.internal")
        #expect(configuration.port == 6543)
        #expect(configuration.database == "leo post")
        #expect(configuration.sslMode == "require")
        #expect(configuration.applicationName == "leopost-api")
        #expect(configuration.maxConnections == 10)
        #expect(configuration.connectTimeout == .seconds(10))
        #expect(configuration.role == nil)
        #expect(configuration.address == "db.internal:6543/leo post")
        #expect(!configuration.description.contains("p@ss"))
    }

    @Test func appliesDefaults() throws {
        let configuration = try PostgresConfiguration(url: "postgresql://leopost@localhost")
        #expect(configuration.port == 5432)
        #expect(configuration.database == "leopost")
        #expect(configuration.password == nil)
        #expect(configuration.sslMode == nil)
    }

    @Test func acceptsIPv6AndConnectTimeout() throws {
        let configuration = try PostgresConfiguration(url: "postgres://u:pw@[::1]:5433/db?connect_timeout=3")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 5433)
        #expect(configuration.connectTimeout == .seconds(3))
    }

    @Test func takesTheStatementCacheCapacity() throws {
        #expect(try PostgresConfiguration(url: "postgres://u@h/db").statementCacheCapacity == 256)
        #expect(try PostgresConfiguration(url: "postgres://u@h/db?statement_cache_capacity=0").statementCacheCapacity == 0)
        #expect(try PostgresConfiguration(url: "postgres://u@h/db?statement_cache_capacity=32").statementCacheCapacity == 32)
    }

    @Test func passesPartsAsSeparateParameters() throws {
        let configuration = try PostgresConfiguration(url: "postgres://u:pw@h/db%20name%3Dx%20host%3Devil")
        let parameters = Dictionary(uniqueKeysWithValues: configuration.connectionParameters.map { ($0.keyword, $0.value) })
        #expect(parameters["dbname"] == "db name=x host=evil")
        #expect(parameters["host"] == "h")
        #expect(parameters["password"] == "pw")
        #expect(parameters["options"]?.contains("TimeZone=UTC") == true)
        // Nothing waits forever: a statement, an idle transaction, and a peer that vanished.
        #expect(parameters["options"]?.contains("-c statement_timeout=30000") == true)
        #expect(parameters["options"]?.contains("-c idle_in_transaction_session_timeout=60000") == true)
        #expect(parameters["keepalives"] == "1")
        #expect(parameters["keepalives_idle"] == "10")
        #expect(parameters["keepalives_count"] == "3")
        #expect(parameters["tcp_user_timeout"] == "30000")
        var unlimited = configuration
        unlimited.statementTimeout = nil
        #expect(!unlimited.sessionOptions.contains("statement_timeout"))
    }

    @Test(arguments: [
        ("localhost:5432/leopost", "missing scheme"),
        ("mysql://root:hunter2@localhost/leopost", "unsupported scheme 'mysql'"),
        ("postgres://leo:hunter2@localhost:abc/leopost", "invalid port 'abc'"),
        ("postgres://leo:hunter2@localhost:70000/leopost", "invalid port '70000'"),
        ("postgres://leo:hunter2@localhost:/leopost", "invalid port ''"),
        ("postgres://leo:hunter2@/leopost", "missing host"),
        ("postgres://leo:hunter2@:5432/leopost", "missing host"),
        ("postgres://localhost/leopost", "missing user name"),
        ("postgres://:hunter2@localhost/leopost", "missing user name"),
        ("postgres://leo:hunter2@localhost/leopost?sslmode=sometimes", "invalid sslmode"),
        ("postgres://leo:hunter2@localhost/leopost?pool=3", "unknown query parameter 'pool'"),
        ("postgres://leo:hunter2@localhost/leopost?statement_cache_capacity=-1", "statement_cache_capacity must be 0 or a positive number"),
        ("postgres://leo:hunter2@localhost/leopost?statement_cache_capacity=many", "statement_cache_capacity must be 0 or a positive number"),
        ("postgres://leo:hunter2%zz@localhost/leopost", "password is not validly percent-encoded"),
        ("postgres://leo:hunter2@[::1/leopost", "closing ']'"),
    ])
    func refusesMalformedURLs(url: String, problem: String) throws {
        let error = try #require(throws: PostgresError.self) { try PostgresConfiguration(url: url) }
        #expect(error.code == .invalidURL)
        #expect(error.message.contains(problem), "\(error.message)")
        #expect(!error.message.contains("hunter2"))
        #expect(!error.description.contains("hunter2"))
        #expect(!error.debugDescription.contains("hunter2"))
    }
}
