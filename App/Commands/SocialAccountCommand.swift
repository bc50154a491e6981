import ArgumentParser
import Foundation
import LeopostCore

/// `leopost social-account set --tenant ID PLATFORM [--account-id ID] [--base-url URL] [--setting k=v ...]`,
/// the token read from standard input so it stays out of shell history; `social-account list --tenant ID`.
struct SocialAccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "social-account", abstract: "A tenant's platform accounts (tokens sealed at rest).", subcommands: [Set.self, List.self]
    )

    /// Stores the tenant's account for a platform.
    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Store a platform account (access token from standard input).")
        @Option(help: "The tenant id.") var tenant: String
        @Argument(help: "The plugin's name, e.g. mastodon.") var platform: String
        @Option(help: "The platform's id of the account, page or organization.") var accountId: String = ""
        @Option(help: "The account's own API address (a Mastodon instance, a webhook URL).") var baseUrl: String?
        @Option(help: "A platform setting as key=value; repeatable.") var setting: [String] = []

        func validate() throws {
            guard TenantID(tenant) != nil else { throw ValidationError("--tenant must be a tenant id (a UUID)") }
            guard !platform.isEmpty, platform == platform.lowercased() else { throw ValidationError("PLATFORM is a plugin name in lower case") }
            for item in setting where !item.contains("=") { throw ValidationError("--setting expects key=value, got \(item)") }
        }

        func run() async throws {
            let environment = try ProcessEnvironment.load()
            let token = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(
                in: .whitespacesAndNewlines)
            guard !token.isEmpty else {
                throw CommandFailure("no token on standard input (try: printf %s \"$TOKEN\" | leopost social-account set ...)")
            }
            let secrets = try LeopostSecrets.load(environment.configuration, create: false)
            let settings = Dictionary(
                setting.map { item in
                    let parts = item.split(separator: "=", maxSplits: 1)
                    return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
                }, uniquingKeysWith: { _, last in last })
            let tenantID = TenantID(tenant)!
            let account = SocialAccount(
                id: UUID.random(), platform: platform, accountID: accountId, baseURL: baseUrl, settings: settings, accessToken: token, expiresAt: nil,
                status: .connected, statusReason: nil)
            try await Database.withServerPool(url: try environment.databaseURL(), logger: environment.logger) { pool in
                guard try await TenantStore(pool: pool).exists(tenantID) else { throw CommandFailure("no tenant \(tenantID)") }
                try await SocialAccountStore(pool: pool, masterKey: secrets.masterKey).put(account, tenant: tenantID)
            }
            print("\(platform) account stored for tenant \(tenantID)")
        }
    }

    /// Lists a tenant's accounts and their state, never the tokens.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a tenant's platform accounts.")
        @Option(help: "The tenant id.") var tenant: String

        func validate() throws {
            guard TenantID(tenant) != nil else { throw ValidationError("--tenant must be a tenant id (a UUID)") }
        }

        func run() async throws {
            let environment = try ProcessEnvironment.load()
            let secrets = try LeopostSecrets.load(environment.configuration, create: false)
            let accounts = try await Database.withServerPool(url: try environment.databaseURL(), logger: environment.logger) { pool in
                try await SocialAccountStore(pool: pool, masterKey: secrets.masterKey).accounts(tenant: TenantID(tenant)!)
            }
            if accounts.isEmpty { print("(no accounts)") }
            for account in accounts {
                print("\(account.platform)  \(account.accountID)  \(account.status.rawValue)\(account.statusReason.map { " (\($0))" } ?? "")")
            }
        }
    }
}
