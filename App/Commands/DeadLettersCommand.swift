import ArgumentParser
import Foundation
import LeopostCore

/// `leopost dead-letters list|show|replay|purge --stage S [ID]`: the jobs a stage gave up on, for
/// the operator. Each was already made visible to the person it concerned (a failed answer, a
/// failed post); replay runs one again, idempotently, once its cause is fixed.
struct DeadLettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead-letters", abstract: "List, show, replay or purge the jobs a stage gave up on.",
        subcommands: [List.self, Show.self, Replay.self, Purge.self])

    /// The stage option every subcommand takes.
    struct StageOption: ParsableArguments {
        @Option(help: "The stage: router, intake, delivery or publish.") var stage: String

        func validate() throws {
            guard StageCatalog.all[stage] != nil, !["scheduler", "sweeper"].contains(stage) else {
                throw ValidationError("--stage must be one of router, intake, delivery, publish")
            }
        }

        /// Runs `body` with the stage's queue on the deployment's Redis.
        func withQueue<T: Sendable>(_ body: (StageQueue) async throws -> T) async throws -> T {
            let environment = try ProcessEnvironment.load()
            let redis = RedisClient(url: try environment.endpoints().redis, configuration: .init(maxConnections: 1), logger: environment.logger)
            do {
                let result = try await body(StageQueue(stage: stage, redis: redis))
                await redis.close()
                return result
            } catch {
                await redis.close()
                throw error
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The most recent dead letters, oldest first.")
        @OptionGroup var stage: StageOption
        @Option(help: "How many, at most.") var limit = 100

        func run() async throws {
            let letters = try await stage.withQueue { try await $0.deadLetters(limit: limit) }
            if letters.isEmpty { print("no dead letters in \(stage.stage)") }
            for letter in letters {
                print("\(letter.entryID)  \(DeadLettersCommand.time(letter))  job \(letter.job.id)  \(letter.reason.prefix(120))")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One dead letter in full: the job and why it failed.")
        @OptionGroup var stage: StageOption
        @Argument(help: "The dead letter's id, as `list` prints it.") var id: String

        func run() async throws {
            guard let letter = try await stage.withQueue({ try await $0.deadLetter(id) }) else {
                throw CommandFailure("no dead letter \(id) in \(stage.stage) (replayed or purged already?)")
            }
            print("id:        \(letter.entryID)\nfailed at: \(DeadLettersCommand.time(letter))\njob:       \(letter.job.id)")
            print("order key: \(letter.job.orderingKey ?? "-")\nattempts:  \(letter.job.attempt)\nreason:    \(letter.reason)")
            print("payload:   \(letter.job.payload)")
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a dead letter again as a first attempt; a second replay of the same id does nothing.")
        @OptionGroup var stage: StageOption
        @Argument(help: "The dead letter's id.") var id: String

        func run() async throws {
            guard try await stage.withQueue({ try await $0.replay(id) }) else {
                throw CommandFailure("no dead letter \(id) in \(stage.stage) (replayed or purged already?)")
            }
            print("replayed \(id) into \(stage.stage)")
        }
    }

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete one dead letter, or all of the stage's with --all.")
        @OptionGroup var stage: StageOption
        @Argument(help: "The dead letter's id.") var id: String?
        @Flag(help: "Delete every dead letter of the stage.") var all = false

        func validate() throws {
            guard (id == nil) == all else { throw ValidationError("name one dead letter, or pass --all (not both)") }
        }

        func run() async throws {
            let count = try await stage.withQueue { try await $0.purge(all ? nil : id) }
            print("purged \(count) dead letter\(count == 1 ? "" : "s") from \(stage.stage)")
        }
    }

    static func time(_ letter: StageQueue.DeadLetter) -> String {
        Date(timeIntervalSince1970: Double(letter.failedAtMilliseconds) / 1000).formatted(.iso8601)
    }
}
