import Hummingbird
public import LeopostCore

extension Gateway {
    /// Mounts the workspace's own routes (policy, brand, secrets, usage, feedback) as the
    /// composition root does, for harnesses that build a gateway of their own.
    /// - Parameter masterKey: without one, the secrets routes are left out.
    public func mountWorkspaceRoutes(postgres: PostgresPool, masterKey: SymmetricKey? = nil, policyRules: PolicyParser.Rules, maxBodyBytes: Int) {
        api.addRoutes(PolicyRoutes(store: PolicyStore(pool: postgres, rules: policyRules), maxBodyBytes: maxBodyBytes).routes)
        api.addRoutes(BrandRoutes(store: BrandStore(pool: postgres), maxBodyBytes: maxBodyBytes).routes)
        api.addRoutes(UsageRoutes(store: UsageStore(pool: postgres)).routes)
        api.addRoutes(FeedbackRoutes(feedback: FeedbackStore(pool: postgres), users: UserStore(pool: postgres), maxBodyBytes: maxBodyBytes).routes)
        api.addRoutes(TimeZoneRoutes(users: UserStore(pool: postgres), maxBodyBytes: maxBodyBytes).routes)
        if let masterKey {
            api.addRoutes(SecretRoutes(store: SecretStore(pool: postgres, masterKey: masterKey), maxBodyBytes: maxBodyBytes).routes)
        }
    }
}
