import ArgumentParser
import LeopostCore

/// `leopost serve`: gateway, every stage and the embedded servers in one process.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run everything in one process; starts its own redis-server and PostgreSQL when no URLs are given."
    )

    func run() async throws {
        let environment = try ProcessEnvironment.load()
        let embedded = try await EmbeddedServers.start(for: environment.configuration, logger: environment.logger)
        var server = Server(
            environment: environment,
            redisURL: embedded.redisURL,
            databaseURL: embedded.databaseURL,
            gateway: true,
            stages: StageCatalog.all.keys.sorted(),
            publishEndpoints: embedded.startedAny
        )
        server.createSecrets = true
        server.printDemoLink = embedded.startedAny
        do {
            try await server.run()
        } catch {
            await shutDown(embedded, environment)
            throw error
        }
        await shutDown(embedded, environment)
    }

    private func shutDown(_ embedded: EmbeddedServers, _ environment: ProcessEnvironment) async {
        RunningEndpoints.remove(dataDirectory: environment.configuration.dataDirectory)
        await embedded.stop()
        if embedded.startedAny { print("Leopost stopped; its embedded servers are stopped too.") }
    }
}
