import Foundation
import Hummingbird
import LeopostChannels
import LeopostCore
import Logging
import ServiceLifecycle
import UnixSignals

/// Assembles the long-running parts of a process — clients, stage workers, the gateway — into one
/// `ServiceGroup` that stops gracefully on SIGTERM or SIGINT, in reverse order of start.
struct Server {
    let environment: ProcessEnvironment
    let redisURL: RedisURL
    let databaseURL: String
    /// Run the HTTP gateway in this process.
    let gateway: Bool
    /// Stage workers to run in this process.
    let stages: [String]
    /// Record where this process's embedded servers are, for the other commands.
    let publishEndpoints: Bool
    /// Generate the master key and JWT secret into the data directory when they are not given.
    /// Only `serve` does; a scaled-out gateway or worker with a secret of its own could not open
    /// what the others sealed, so they refuse to start instead.
    var createSecrets = false
    /// Print a chat link for the demo tenant once the gateway listens (`serve` on embedded servers).
    var printDemoLink = false

    func run() async throws {
        let configuration = environment.configuration
        let logger = environment.logger
        try await checkRedis(logger: logger)
        let applied = try await Database.migrate(url: databaseURL, logger: logger)
        if !applied.isEmpty { logger.notice("database migrated", metadata: [LogKey.migrationApplied: "\(applied)"]) }
        let secrets = try LeopostSecrets.load(configuration, create: createSecrets)

        let redis = RedisClient(url: redisURL, configuration: .init(commandTimeout: configuration.redisCommandTimeout), logger: logger)
        let postgres = try Database.serverPool(url: databaseURL, logger: logger)
        let egress = try egressGuard()
        let http = HTTPClient(configuration: .init(egress: egress), logger: logger)
        let messagingConfiguration = MessagingConfiguration(environment: ProcessInfo.processInfo.environment)
        let channels = MessagingModule.adapters(
            postgres: postgres, http: http, masterKey: secrets.masterKey, configuration: messagingConfiguration)
        // Photos from the chat apps and images attached in the web chat, in one store the router reads.
        let mediaStore: any MediaStore =
            configuration.mediaS3.map { S3MediaStore(configuration: $0, http: http) }
            ?? LocalMediaStore(directory: configuration.dataDirectory + "/media")
        let media = MediaLibrary(sources: channels.compactMap { $0 as? any MediaSource }, store: mediaStore)
        let mediaLinks = messagingConfiguration.publicBaseURL.map { MediaLinks(masterKey: secrets.masterKey, baseURL: $0) }
        let policyRules = PolicyParser.Rules(
            environment: ProcessInfo.processInfo.environment, egress: egress, channelKinds: Set(ChannelCatalog(channels).kinds))
        let plugins = PluginRegistry(
            configuration: .init(
                directory: configuration.pluginDirectory ?? Self.shippedPluginDirectory, httpTimeout: configuration.pluginHTTPTimeout,
                baseURLOverrides: configuration.platformBaseURLs, copiesParent: configuration.dataDirectory),
            http: http, logger: logger)
        plugins.scan()
        let clients = StageCatalog.Clients(
            redis: redis, postgres: postgres, http: http, masterKey: secrets.masterKey, environment: ProcessInfo.processInfo.environment,
            visibilityTimeout: configuration.stageVisibilityTimeout, plugins: plugins, policyRules: policyRules, channels: channels, media: media,
            mediaLinks: mediaLinks,
            logger: logger
        )
        var services: [any Service] = [redis, postgres, http, PluginDirectoryWatcher(registry: plugins)]
        services += try StageCatalog.workers(stages, clients: clients)
        if gateway {
            let metrics = GatewayMetrics()
            let limit = configuration.maxBodyBytes
            let gateway = Gateway(
                dependencies: .init(redis: redis, postgres: postgres, signer: secrets.signer, metrics: metrics), maxBodyBytes: limit,
                pathLimits: ["/v1/media": max(limit, media.limits.maxBytes)])
            let hub = ConversationEventHub(
                url: redisURL, configuration: .init(maxStreamsPerHolder: configuration.maxEventStreamsPerPerson), logger: logger)
            let webChat = WebChatModule(
                redis: redis, postgres: postgres, hub: hub, maxBodyBytes: limit, policyRules: policyRules,
                uploads: MediaUploads(store: mediaStore, limits: media.limits))
            let publishing = PublishingModule(
                redis: redis, postgres: postgres, masterKey: secrets.masterKey, plugins: plugins, maxBodyBytes: limit, logger: logger,
                policyRules: policyRules)
            let messaging = MessagingModule(
                redis: redis, postgres: postgres, http: http, masterKey: secrets.masterKey,
                configuration: messagingConfiguration, maxBodyBytes: limit, logger: logger)
            // Every endpoint of the product, mounted in one place; each feature's folder holds its routes.
            gateway.router.addRoutes(webChat.pageRoutes)
            gateway.router.addRoutes(messaging.webhookRoutes)
            if let mediaLinks { gateway.router.addRoutes(MediaLinkRoute(links: mediaLinks, store: mediaStore).routes) }
            for routes in [
                PolicyRoutes(store: PolicyStore(pool: postgres, rules: policyRules), maxBodyBytes: limit).routes,
                BrandRoutes(store: BrandStore(pool: postgres), maxBodyBytes: limit).routes,
                SecretRoutes(store: SecretStore(pool: postgres, masterKey: secrets.masterKey), maxBodyBytes: limit).routes,
                UsageRoutes(store: UsageStore(pool: postgres)).routes,
                FeedbackRoutes(feedback: FeedbackStore(pool: postgres), users: UserStore(pool: postgres), maxBodyBytes: limit).routes,
                TimeZoneRoutes(users: UserStore(pool: postgres), maxBodyBytes: limit).routes,
                webChat.routes, publishing.routes, messaging.routes,
            ] {
                gateway.api.addRoutes(routes)
            }
            let printDemoLink = self.printDemoLink
            let application = gateway.application(address: configuration.httpAddress, logger: logger) { port in
                await announce(port: port)
                if printDemoLink { await announceDemo(postgres: postgres, signer: secrets.signer, port: port) }
            }
            // After the application, so it stops first: its end finishes the open event streams,
            // which lets the application's graceful shutdown complete.
            services += [application, hub, messaging.telegramPoller] as [any Service]
        } else if publishEndpoints {
            await announce(port: nil)
        }
        var groupConfiguration = ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        // The workers hand their jobs back after 20 s of shutdown; past 30 s everything is cancelled,
        // and a process that still does not end after 5 s more is reported rather than waited on.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(30)
        groupConfiguration.maximumCancellationDuration = .seconds(5)
        let group = ServiceGroup(configuration: groupConfiguration)
        try await group.run()
    }

    /// The egress guard of tenants' requests: the operator's `LEOPOST_EGRESS_ALLOW`, with the ports
    /// of this deployment's own Redis, PostgreSQL and gateway kept shut even inside an allowed block.
    private func egressGuard() throws -> EgressGuard {
        let configuration = environment.configuration
        var ports: Set<Int> = [redisURL.port, configuration.httpAddress.port]
        if let database = try? PostgresConfiguration(url: databaseURL) { ports.insert(database.port) }
        return EgressGuard(allowances: configuration.egressAllowances, protectedPorts: ports)
    }

    /// Where `swift build` puts the shipped plugins: beside the `leopost` executable (found through
    /// /proc, so it is right however the command was started: a symlink, a bare name on PATH).
    static var shippedPluginDirectory: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
    }

    private func announceDemo(postgres: PostgresPool, signer: JWTSigner, port: Int) async {
        let base = "http://\(environment.configuration.httpAddress.host):\(port)"
        do {
            let link = try await DemoTenant.chatLink(
                postgres: postgres, signer: signer, dataDirectory: environment.configuration.dataDirectory, baseURL: base)
            FileHandle.standardOutput.write(Data("Open the chat as the demo tenant's user: \(link)\n".utf8))
        } catch {
            environment.logger.warning("could not prepare the demo tenant", metadata: [LogKey.error: "\(error)"])
        }
    }

    /// Refuses a Redis that cannot be reached, or that would lose accepted work without an error
    /// (see ``RedisDurability``) unless the operator allowed it (`LEOPOST_REDIS_ALLOW_VOLATILE`).
    private func checkRedis(logger: Logger) async throws {
        let probe = RedisClient(url: redisURL, configuration: .init(maxConnections: 1), logger: logger)
        let durability: RedisDurability
        do {
            try await probe.send(RedisCommand("PING"))
            durability = try await RedisDurability.read(from: probe)
            await probe.close()
        } catch {
            await probe.close()
            throw CommandFailure("\(error)")
        }
        let problems = durability.problems
        guard !problems.isEmpty else { return }
        guard environment.configuration.allowVolatileRedis else {
            throw CommandFailure(
                "Redis at \(redisURL) would lose accepted work: " + problems.joined(separator: "; ")
                    + ". Fix its configuration, or set LEOPOST_REDIS_ALLOW_VOLATILE=1 to start anyway.")
        }
        for problem in problems {
            logger.warning("Redis would lose accepted work; started anyway (LEOPOST_REDIS_ALLOW_VOLATILE)", metadata: [LogKey.error: "\(problem)"])
        }
    }

    private func announce(port: Int?) async {
        let host = environment.configuration.httpAddress.host
        if publishEndpoints {
            let endpoints = RunningEndpoints(
                redisURL: redisURL.urlString, databaseURL: databaseURL, httpAddress: port.map { "\(host):\($0)" }, pid: getpid()
            )
            do { try endpoints.write(dataDirectory: environment.configuration.dataDirectory) } catch {
                environment.logger.warning("could not record the running endpoints", metadata: [LogKey.error: "\(error)"])
            }
        }
        if let port {
            // Straight to the descriptor: stdout to a pipe is block-buffered, and `make run` users wait for this line.
            FileHandle.standardOutput.write(Data("Leopost is running at http://\(host):\(port)  (readiness: /readyz; Ctrl-C stops it)\n".utf8))
        }
    }
}
