import ArgumentParser
import LeopostCore

/// `leopost migrate`: applies the database migrations built into this binary (idempotent).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply database migrations (idempotent).")

    func run() async throws {
        let environment = try ProcessEnvironment.load()
        let applied = try await Database.migrate(url: try environment.databaseURL(), logger: environment.logger)
        print(applied.isEmpty ? "database is up to date" : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
    }
}
