import ArgumentParser
import Foundation
import LeopostCore

/// `leopost gateway`: the HTTP gateway alone, for scale-out behind a load balancer.
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gateway", abstract: "Run the HTTP gateway alone.")

    func run() async throws {
        let environment = try ProcessEnvironment.load()
        let endpoints = try environment.endpoints()
        try await Server(
            environment: environment, redisURL: endpoints.redis, databaseURL: endpoints.database,
            gateway: true, stages: [], publishEndpoints: false
        ).run()
    }
}

/// `leopost worker --stages router,delivery,...`: stage workers alone.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worker", abstract: "Run stage workers alone.")

    @Option(help: "Comma-separated stage names; all stages of this build by default.")
    var stages: String?

    func run() async throws {
        let environment = try ProcessEnvironment.load()
        let names = stages.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? StageCatalog.all.keys.sorted()
        guard !names.isEmpty else { throw CommandFailure("this build has no stages yet; nothing to run") }
        let endpoints = try environment.endpoints()
        try await Server(
            environment: environment, redisURL: endpoints.redis, databaseURL: endpoints.database,
            gateway: false, stages: names, publishEndpoints: false
        ).run()
    }
}
