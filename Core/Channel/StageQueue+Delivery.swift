public import Foundation

extension StageQueue {
    /// Queues `parts` on this delivery queue for `conversation`'s thread (its channel, connection
    /// and external thread), in the conversation's order: answers, the answer so far, post
    /// previews and post notices of one conversation go out in the order they were queued.
    /// - Parameters:
    ///   - messageID: the message the parts are; with the piece index, the key of each send.
    ///   - idempotencyKey: a second queueing with the same key adds nothing.
    ///   - partial: the answer so far, shown while it is produced.
    public func deliver(
        _ parts: [MessagePart], messageID: UUID, to conversation: Conversation, tenant: TenantID, idempotencyKey: String, partial: Bool? = nil
    ) async throws {
        let outbound = OutboundMessage(
            tenantID: tenant, conversationID: conversation.id, messageID: messageID, channel: conversation.channel,
            connectionID: conversation.connectionID, recipient: conversation.externalThread ?? "", parts: parts, partial: partial)
        let payload = String(decoding: try JSONCoding.encoder.encode(outbound), as: UTF8.self)
        try await enqueue(payload, orderingKey: conversation.id.uuidString.lowercased(), idempotencyKey: idempotencyKey)
    }
}
