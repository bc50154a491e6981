/// What the operator lets policies do, read once at start-up: which environment variables
/// `env:` may name, and which private targets a `base_url` may have.
extension PolicyParser {
    /// The operator's side of a policy.
    public struct Rules: Sendable {
        /// Variables `api_key: env:NAME` may name (`LEOPOST_POLICY_ENV_ALLOW`); `LEOPOST_*` never.
        public var readableEnvironment: Set<String>
        /// Judges `base_url`s that are literal addresses when the policy is stored.
        public var egress: EgressGuard
        /// The channels `channels:` may name: the deployment's adapters' kinds (`ChannelCatalog`).
        /// Empty takes any well-formed name, for tools that run without the adapters.
        public var channelKinds: Set<String>

        /// Creates rules; by default no variable is readable and every private address is refused.
        public init(readableEnvironment: Set<String> = [], egress: EgressGuard = EgressGuard(), channelKinds: Set<String> = []) {
            self.readableEnvironment = readableEnvironment.filter { !$0.hasPrefix("LEOPOST_") }
            self.egress = egress
            self.channelKinds = channelKinds
        }

        /// Reads `LEOPOST_POLICY_ENV_ALLOW` (comma-separated names) from the operator's environment.
        public init(environment: [String: String], egress: EgressGuard = EgressGuard(), channelKinds: Set<String> = []) {
            let names = (environment["LEOPOST_POLICY_ENV_ALLOW"] ?? "").split(separator: ",").map {
                String($0.filter { !$0.isWhitespace })
            }
            self.init(readableEnvironment: Set(names.filter { !$0.isEmpty }), egress: egress, channelKinds: channelKinds)
        }

        /// Why `api_key: env:variable` is refused, or `nil`.
        func refusal(environmentVariable variable: String) -> String? {
            if variable.hasPrefix("LEOPOST_") {
                return
                    "env:\(variable) is one of Leopost's own settings and is never readable by a policy; store your key with PUT /v1/secrets/NAME and write secret:NAME"
            }
            guard readableEnvironment.contains(variable) else {
                return
                    "env:\(variable) is not readable by policies (the operator lists those in LEOPOST_POLICY_ENV_ALLOW); store your key with PUT /v1/secrets/NAME and write secret:NAME"
            }
            return nil
        }
    }
}
