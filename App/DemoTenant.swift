import Foundation
import LeopostCore

/// The tenant `make run` opens the chat as: made on the first start with embedded servers, its id
/// kept in the data directory, so a newcomer gets a working chat link without any setup.
enum DemoTenant {
    /// The chat address with a week-long token for the demo tenant's user `demo`.
    static func chatLink(postgres: PostgresPool, signer: JWTSigner, dataDirectory: String, baseURL: String) async throws -> String {
        let file = URL(fileURLWithPath: dataDirectory).appendingPathComponent("demo-tenant")
        let tenants = TenantStore(pool: postgres)
        var tenantID = (try? String(contentsOf: file, encoding: .utf8)).flatMap { TenantID($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        if let known = tenantID, try await !tenants.exists(known) { tenantID = nil }
        if tenantID == nil {
            let created = try await tenants.createTenant(name: "Demo")
            try created.tenantID.description.write(to: file, atomically: true, encoding: .utf8)
            tenantID = created.tenantID
            print("Created the demo tenant \(created.tenantID); its API key (shown once): \(created.apiKey)")
        }
        let token = try signer.sign(JWTClaims(sub: "demo", tid: tenantID!.description, lifetime: .seconds(7 * 86_400)))
        return "\(baseURL)/#token=\(token)"
    }
}
