import Foundation
import LeopostCore
import LeopostTestSupport
import Logging
import Testing

/// Runs the real `leopost` binary, built beside the test bundle.
struct LeopostProcess {
    static var executable: String {
        // The test bundle lives in .build/<triple>/<config>/; the product is built next to it.
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(), testBinary]
            .map { $0.appendingPathComponent("leopost").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    /// Starts `leopost worker --stages <stages>` in the background, its output discarded.
    static func startWorker(stages: String, environment: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["worker", "--stages", stages]
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The environment of a worker process on the test servers and `databaseURL`: fixed secrets (so
    /// the test can seal what the worker opens), a 2 s visibility timeout, a data directory of its own.
    static func workerEnvironment(databaseURL: String) throws -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["LEOPOST_REDIS_URL"] = try TestEnvironment.redisURL().urlString
        environment["LEOPOST_DATABASE_URL"] = databaseURL
        environment["LEOPOST_MASTER_KEY"] = String(repeating: "ab", count: 32)
        environment["LEOPOST_JWT_SECRET"] = String(repeating: "s", count: 40)
        environment["LEOPOST_STAGE_VISIBILITY_TIMEOUT"] = "2"
        environment["LEOPOST_DATA_DIR"] = try TestEnvironment.temporaryDirectory()
        environment["LEOPOST_LOG_LEVEL"] = "error"
        return environment
    }

    /// Runs a command to completion and returns its exit status and output.
    static func run(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Polls `url` until it answers 200 or `timeout` passes.
func waitForOK(_ url: String, timeout: Duration = .seconds(60)) async -> Bool {
    await HTTPClient.withHTTPClient(logger: TestEnvironment.logger()) { client in
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if (try? await client.execute(HTTPClientRequest(url: url)))?.status == 200 { return true }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return false
    }
}

@Suite("leopost serve with its embedded servers", .serialized)
struct ServeCommandTests {
    @Test func servesStopsOnSIGINTAndKeepsItsDataForTheNextStart() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let port = try FreePort.loopback()
        var environment = ProcessInfo.processInfo.environment
        for name in ["LEOPOST_REDIS_URL", "LEOPOST_DATABASE_URL", "LEOPOST_MASTER_KEY", "LEOPOST_JWT_SECRET"] {
            environment[name] = nil
        }
        environment["LEOPOST_DATA_DIR"] = directory
        environment["LEOPOST_HTTP_ADDR"] = "127.0.0.1:\(port)"
        environment["LEOPOST_LOG_LEVEL"] = "warning"

        // Each start's log, shown when a start fails (a failed second start was seen once under the full suite).
        let logPath = directory + "/serve.log"
        func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)).map { String($0.suffix(4000)) } ?? "(no log)" }
        func startServe() throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: LeopostProcess.executable)
            process.arguments = ["serve"]
            process.environment = environment
            FileManager.default.createFile(atPath: logPath, contents: nil)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle(forWritingAtPath: logPath)
            try process.run()
            return process
        }

        var serve = try startServe()
        #expect(await waitForOK("http://127.0.0.1:\(port)/readyz"), "\(log())")
        let created = try LeopostProcess.run(["tenant", "create", "Acme", "--json"], environment: environment)
        #expect(created.status == 0, "\(created.output)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(created.output.utf8)) as? [String: String])
        let tenantID = try #require(object["tenant_id"])
        #expect(object["api_key"]?.hasPrefix("lpk_") == true)
        let endpoints = try String(contentsOfFile: directory + "/endpoints.json", encoding: .utf8)

        kill(serve.processIdentifier, SIGINT)
        serve.waitUntilExit()
        #expect(serve.terminationStatus == 0)
        // Its embedded servers stopped with it, and the endpoints record is gone.
        #expect(!FileManager.default.fileExists(atPath: directory + "/endpoints.json"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/postgres/data/postmaster.pid"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/redis/redis.pid"))
        #expect(endpoints.contains("127.0.0.1"))

        // A second start reuses the data: the tenant is still there.
        serve = try startServe()
        #expect(await waitForOK("http://127.0.0.1:\(port)/readyz"), "\(log())")
        let token = try LeopostProcess.run(["token", "--tenant", tenantID, "--user", "ada"], environment: environment)
        #expect(token.status == 0, "\(token.output)")
        #expect(token.output.split(separator: ".").count == 3)
        kill(serve.processIdentifier, SIGTERM)
        serve.waitUntilExit()
        #expect(serve.terminationStatus == 0)
    }

    @Test func badConfigurationIsRefusedNamingTheVariable() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["LEOPOST_REDIS_URL"] = "http://nope"
        let result = try LeopostProcess.run(["migrate"], environment: environment)
        #expect(result.status != 0)
        #expect(result.output.contains("LEOPOST_REDIS_URL"))
        environment["LEOPOST_REDIS_URL"] = nil
        environment["LEOPOST_HTTP_ADDR"] = "localhost"
        let second = try LeopostProcess.run(["migrate"], environment: environment)
        #expect(second.output.contains("LEOPOST_HTTP_ADDR"))
    }

    @Test func policyValidateNamesTheLineAndField() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let good = directory + "/good.yaml"
        let bad = directory + "/bad.yaml"
        try "providers:\n  main: {kind: openai, api_key: secret:openai}\nchains:\n  chat: [{provider: main, model: gpt-4o-mini}]\n"
            .write(toFile: good, atomically: true, encoding: .utf8)
        try "providers:\n  main:\n    kind: openia\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let valid = try LeopostProcess.run(["policy", "validate", good], environment: ProcessInfo.processInfo.environment)
        #expect(valid.status == 0 && valid.output.contains("valid"), "\(valid.output)")
        let invalid = try LeopostProcess.run(["policy", "validate", bad], environment: ProcessInfo.processInfo.environment)
        #expect(invalid.status != 0)
        #expect(invalid.output.contains("line 3") && invalid.output.contains("providers.main.kind"), "\(invalid.output)")
    }

    /// `make run` as root from a clone whose parent is mode 0700 (root's home, a `mktemp -d`
    /// directory): the postgres user cannot enter it, so the cluster is kept where it can.
    @Test func servesFromACloneInsideAPrivateDirectory() async throws {
        var template = Array("\(NSTemporaryDirectory())leopost-private-XXXXXX".utf8CString)
        let parent = try #require(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }.map { String(cString: $0) })
        let clone = parent + "/clone"
        try FileManager.default.createDirectory(atPath: clone, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let port = try FreePort.loopback()
        var environment = ProcessInfo.processInfo.environment
        for name in ["LEOPOST_REDIS_URL", "LEOPOST_DATABASE_URL", "LEOPOST_MASTER_KEY", "LEOPOST_JWT_SECRET", "LEOPOST_DATA_DIR"] {
            environment[name] = nil
        }
        environment["LEOPOST_HTTP_ADDR"] = "127.0.0.1:\(port)"
        environment["LEOPOST_LOG_LEVEL"] = "warning"
        let output = parent + "/serve.out"
        FileManager.default.createFile(atPath: output, contents: nil)
        let serve = Process()
        serve.executableURL = URL(fileURLWithPath: LeopostProcess.executable)
        serve.arguments = ["serve"]
        serve.environment = environment
        serve.currentDirectoryURL = URL(fileURLWithPath: clone)
        serve.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        serve.standardError = FileHandle.nullDevice
        try serve.run()
        let ready = await waitForOK("http://127.0.0.1:\(port)/readyz")
        let printed = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        kill(serve.processIdentifier, SIGINT)
        serve.waitUntilExit()
        let record = clone + "/.leopost/postgres/cluster-location"
        if let aside = try? String(contentsOfFile: record, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) {
            try? FileManager.default.removeItem(atPath: aside)
        }
        #expect(ready, "\(printed)")
        #expect(printed.contains("Leopost is running at http://127.0.0.1:\(port)"), "\(printed)")
        #expect(serve.terminationStatus == 0)
        if getuid() == 0 {
            #expect(FileManager.default.fileExists(atPath: record), "as root the cluster is kept where the postgres user can reach it")
        }
    }

    @Test func migrateAndOtherOneShotCommandsNeedOnlyTheDatabaseURL() async throws {
        try await TestDatabase.with(logger: TestEnvironment.logger()) { database in
            var environment = ProcessInfo.processInfo.environment
            for name in ["LEOPOST_REDIS_URL", "LEOPOST_MASTER_KEY", "LEOPOST_JWT_SECRET"] { environment[name] = nil }
            environment["LEOPOST_DATABASE_URL"] = database.url
            environment["LEOPOST_DATA_DIR"] = try TestEnvironment.temporaryDirectory()
            let migrated = try LeopostProcess.run(["migrate"], environment: environment)
            #expect(migrated.status == 0, "\(migrated.output)")
            let created = try LeopostProcess.run(["tenant", "create", "Solo", "--json"], environment: environment)
            #expect(created.status == 0, "\(created.output)")
        }
    }

    @Test func aServerDownAtStartIsNamed() throws {
        var environment = ProcessInfo.processInfo.environment
        let port = try FreePort.loopback()
        environment["LEOPOST_DATABASE_URL"] = "postgres://postgres@127.0.0.1:\(port)/leopost"
        environment["LEOPOST_REDIS_URL"] = "redis://127.0.0.1:\(port)"
        let result = try LeopostProcess.run(["migrate"], environment: environment)
        #expect(result.status != 0)
        #expect(result.output.contains("127.0.0.1:\(port)"), "\(result.output)")
    }
}
