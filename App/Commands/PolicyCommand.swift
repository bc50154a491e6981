import ArgumentParser
import Foundation
import LeopostCore

/// `leopost policy validate FILE` · `policy apply --tenant ID FILE` · `policy show --tenant ID`.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Per-tenant routing policy.", subcommands: [Validate.self, Apply.self, Show.self]
    )

    static func read(_ path: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw CommandFailure("cannot read \(path)") }
        return text
    }

    /// Checks a policy file; prints every problem with its line and field.
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a policy file.")
        @Argument(help: "The YAML file.") var file: String

        func run() async throws {
            do {
                _ = try PolicyParser.parse(try PolicyCommand.read(file), rules: try ProcessEnvironment.load().policyRules)
                print("\(file): valid")
            } catch let error as PolicyValidationError {
                throw CommandFailure(error.issues.map { "\(file): \($0)" }.joined(separator: "\n"))
            }
        }
    }

    /// Validates and stores a tenant's policy.
    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate and store a tenant's policy.")
        @Option(help: "The tenant id.") var tenant: String
        @Argument(help: "The YAML file.") var file: String

        func validate() throws {
            guard TenantID(tenant) != nil else { throw ValidationError("--tenant must be a tenant id (a UUID)") }
        }

        func run() async throws {
            let environment = try ProcessEnvironment.load()
            let document = try PolicyCommand.read(file)
            let tenantID = TenantID(tenant)!
            do {
                try await Database.withServerPool(url: try environment.databaseURL(), logger: environment.logger) { pool in
                    guard try await TenantStore(pool: pool).exists(tenantID) else { throw CommandFailure("no tenant \(tenantID)") }
                    try await PolicyStore(pool: pool, rules: environment.policyRules).apply(document, tenant: tenantID)
                }
            } catch let error as PolicyValidationError {
                throw CommandFailure(error.issues.map { "\(file): \($0)" }.joined(separator: "\n"))
            }
            print("policy applied to tenant \(tenantID)")
        }
    }

    /// Prints the effective policy, defaults filled in, as YAML that validates.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a tenant's effective policy.")
        @Option(help: "The tenant id.") var tenant: String

        func validate() throws {
            guard TenantID(tenant) != nil else { throw ValidationError("--tenant must be a tenant id (a UUID)") }
        }

        func run() async throws {
            let environment = try ProcessEnvironment.load()
            let tenantID = TenantID(tenant)!
            let policy = try await Database.withServerPool(url: try environment.databaseURL(), logger: environment.logger) { pool in
                guard try await TenantStore(pool: pool).exists(tenantID) else { throw CommandFailure("no tenant \(tenantID)") }
                return try await PolicyStore(pool: pool, rules: environment.policyRules).effective(tenant: tenantID)
            }
            print(PolicyRenderer.yaml(policy), terminator: "")
        }
    }
}
