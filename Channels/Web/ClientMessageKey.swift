import Foundation
import HTTPTypes
import LeopostCore

/// The web client's own id for a message it sends (`Idempotency-Key` header, or
/// `client_message_id` in the body): a retry after a 503 or a lost answer carries the same id, and
/// the message is stored once and answered once.
///
/// It is stored as the message's external id, scoped to the conversation, so the same key in
/// another conversation (or from another person) is another message. A key reused for a message
/// with different content is refused with 422, as the IETF idempotency-key draft says, rather than
/// answered with the first message's id: the client would believe a message was sent that never was.
struct ClientMessageKey: Equatable {
    /// The key as the client sent it: 1 to 128 printable ASCII characters (a UUID fits).
    let value: String

    /// The longest key accepted.
    static let maxLength = 128

    /// The key from the header or the body; `nil` when neither has one.
    /// - Throws: 400 `invalid_idempotency_key` for an empty, too long or non-ASCII key, or when
    ///   the header and the body disagree.
    init?(header: String?, body: String?) throws {
        switch (header, body) {
        case (nil, nil): return nil
        case (let header?, let body?) where header != body:
            throw APIError.badRequest(
                "the Idempotency-Key header and client_message_id differ; send one of them, or the same value in both",
                code: "invalid_idempotency_key")
        default: value = header ?? body!
        }
        guard (1...Self.maxLength).contains(value.utf8.count), value.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw APIError.badRequest(
                "the idempotency key must be 1 to \(Self.maxLength) printable ASCII characters without spaces (a UUID is a good one)",
                code: "invalid_idempotency_key")
        }
    }

    /// The message's external id: the key within its conversation.
    func externalID(in conversation: UUID) -> String {
        "client:\(conversation.uuidString.lowercased()):\(value)"
    }

    /// 422: the key was used before for a different message.
    static let reused = APIError(
        status: .unprocessableContent, code: "idempotency_key_reused",
        message: "this idempotency key was already used for a different message in this conversation; use a new key for a new message")
}

extension HTTPField.Name {
    /// `Idempotency-Key` (IETF draft-ietf-httpapi-idempotency-key-header).
    static let idempotencyKey = Self("Idempotency-Key")!
    /// Says that an answer repeats the first one for the same key.
    static let idempotentReplayed = Self("Idempotent-Replayed")!
}
