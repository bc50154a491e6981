import ArgumentParser
import Foundation
import LeopostCore

/// `leopost tenant create NAME [--json]`.
struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tenant", abstract: "Manage tenants.", subcommands: [Create.self])

    /// Creates a tenant and prints its id and first API key (shown once).
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a tenant; prints its id and an API key (shown once).")

        @Argument(help: "The tenant's name.") var name: String
        @Flag(help: "Print {\"tenant_id\": ..., \"api_key\": ...}.") var json = false

        func run() async throws {
            let environment = try ProcessEnvironment.load()
            let url = try environment.databaseURL()
            _ = try await Database.migrate(url: url, logger: environment.logger)
            let created = try await Database.withServerPool(url: url, logger: environment.logger) { pool in
                try await TenantStore(pool: pool).createTenant(name: name)
            }
            if json {
                let object = ["tenant_id": created.tenantID.description, "api_key": created.apiKey]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print("tenant \(created.tenantID)\napi key \(created.apiKey)\n(the key is shown only once; keep it)")
            }
        }
    }
}
