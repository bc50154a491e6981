import ArgumentParser
import Foundation
import LeopostCore

/// `leopost secret set --tenant ID NAME` (the value from standard input) · `secret list --tenant ID`.
struct SecretCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secret", abstract: "Sealed secrets a tenant's policy refers to as secret:NAME.", subcommands: [Set.self, List.self]
    )

    /// Seals and stores one secret; the value is read from standard input so it stays out of shell history.
    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Store a secret (value from standard input).")
        @Option(help: "The tenant id.") var tenant: String
        @Argument(help: "The secret's name, as in `api_key: secret:NAME`.") var name: String

        func validate() throws {
            guard TenantID(tenant) != nil else { throw ValidationError("--tenant must be a tenant id (a UUID)") }
            guard SecretStore.isValidName(name) else { throw ValidationError("a secret name has 1 to 64 letters, digits, '_', '.' or '-'") }
        }

        func run() async throws {
            let environment = try ProcessEnvironment.load()
            let value = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty else { throw CommandFailure("no value on standard input (try: printf %s \"$KEY\" | leopost secret set ...)") }
            let secrets = try LeopostSecrets.load(environment.configuration, create: false)
            let tenantID = TenantID(tenant)!
            try await Database.withServerPool(url: try environment.databaseURL(), logger: environment.logger) { pool in
                guard try await TenantStore(pool: pool).exists(tenantID) else { throw CommandFailure("no tenant \(tenantID)") }
                try await SecretStore(pool: pool, masterKey: secrets.masterKey).store(value, name: name, tenant: tenantID)
            }
            print("secret \(name) stored for tenant \(tenantID)")
        }
    }

    /// Lists the names of a tenant's secrets (never the values).
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a tenant's secret names.")
        @Option(help: "The tenant id.") var tenant: String

        func validate() throws {
            guard TenantID(tenant) != nil else { throw ValidationError("--tenant must be a tenant id (a UUID)") }
        }

        func run() async throws {
            let environment = try ProcessEnvironment.load()
            let secrets = try LeopostSecrets.load(environment.configuration, create: false)
            let names = try await Database.withServerPool(url: try environment.databaseURL(), logger: environment.logger) { pool in
                try await SecretStore(pool: pool, masterKey: secrets.masterKey).names(tenant: TenantID(tenant)!)
            }
            print(names.isEmpty ? "(no secrets)" : names.joined(separator: "\n"))
        }
    }
}
