import ArgumentParser
import Foundation
import LeopostCore

/// `leopost token --tenant ID --user NAME`: a signed JWT for the web chat.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Print a signed token for the web chat.")

    @Option(help: "The tenant id.") var tenant: String
    @Option(help: "The user's name within the tenant.") var user: String
    @Option(help: "Lifetime in hours (1 to 720).") var hours = 24

    func validate() throws {
        guard TenantID(tenant) != nil else { throw ValidationError("--tenant must be a tenant id (a UUID)") }
        guard !user.trimmingCharacters(in: .whitespaces).isEmpty, user.count <= 200 else {
            throw ValidationError("--user must have 1 to 200 characters")
        }
        guard user != UserStore.apiKeyUser else { throw ValidationError("--user \(user) is reserved for the tenant's API key; name a person") }
        guard (1...720).contains(hours) else { throw ValidationError("--hours must be from 1 to 720") }
    }

    func run() async throws {
        let environment = try ProcessEnvironment.load()
        let tenantID = TenantID(tenant)!
        let exists = try await Database.withServerPool(url: try environment.databaseURL(), logger: environment.logger) { pool in
            try await TenantStore(pool: pool).exists(tenantID)
        }
        guard exists else { throw CommandFailure("no tenant \(tenantID); create one with `leopost tenant create NAME`") }
        let secrets = try LeopostSecrets.load(environment.configuration, create: false)
        guard Duration.seconds(hours * 3600) <= secrets.signer.maxLifetime else {
            throw CommandFailure(
                "--hours \(hours) is longer than LEOPOST_JWT_MAX_LIFETIME_HOURS allows (\(secrets.signer.maxLifetime.components.seconds / 3600))")
        }
        let claims = JWTClaims(sub: user, tid: tenantID.description, lifetime: .seconds(hours * 3600))
        print(try secrets.signer.sign(claims))
    }
}
