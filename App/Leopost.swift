import ArgumentParser

/// The `leopost` command line (DESIGN §4).
@main
struct Leopost: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leopost",
        abstract: "The message router of an AI social-media assistant.",
        subcommands: [
            ServeCommand.self, GatewayCommand.self, WorkerCommand.self, MigrateCommand.self, TenantCommand.self, TokenCommand.self,
            UsageCommand.self, PolicyCommand.self, SecretCommand.self, PluginsCommand.self, SocialAccountCommand.self, DeadLettersCommand.self,
        ]
    )
}
