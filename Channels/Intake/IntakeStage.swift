import Foundation
public import LeopostCore
public import Logging

/// The `intake` stage (DESIGN §2): takes what the channels' webhooks and pollers queued and does
/// the work they used to do before answering, so a webhook costs a verification and one Redis call.
///
/// Each job names its connection, which is looked up (cached) under the job's tenant, and its
/// channel, whose ``InboundEventHandling`` stores the message, runs the link flow and queues the
/// router's job. A job for a connection that was deleted meanwhile, or for a channel this build
/// does not have, is dead-lettered with the reason, never dropped unseen.
public struct IntakeStage: StageHandler {
    /// The stage's name.
    public static let stage = "intake"

    private let connections: ChannelConnectionCache
    private let handlers: [String: any InboundEventHandling]
    private let logger: Logger

    /// Creates the stage over the channels' handlers.
    public init(connections: ChannelConnectionCache, handlers: [any InboundEventHandling], logger: Logger) {
        self.connections = connections
        self.handlers = Dictionary(handlers.map { ($0.channel, $0) }, uniquingKeysWith: { first, _ in first })
        self.logger = logger
    }

    public func handle(_ job: StageJob) async throws {
        let payload = Data(job.payload.utf8)
        guard let header = try? JSONCoding.decoder.decode(InboundEventHeader.self, from: payload) else {
            throw StageFailure.permanent("not an inbound event (channel, tenant and connection are required)")
        }
        guard let handler = handlers[header.channel] else {
            throw StageFailure.permanent("this build has no \(header.channel) channel to take the event")
        }
        guard let connection = try await connections.connection(header.connection, tenant: TenantID(header.tenant)) else {
            throw StageFailure.permanent("the \(header.channel) connection \(header.connection) was deleted before its event was taken")
        }
        var logger = logger
        logger[metadataKey: LogKey.connectionID] = "\(connection.id)"
        try await handler.handle(payload, connection: connection, logger: logger)
    }
}
