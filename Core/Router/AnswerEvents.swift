public import Foundation

/// The JSON data of the answer events on a conversation's stream (DESIGN §4), in one place so
/// the router, the web chat and the tests agree on the field names.
public enum AnswerEvents {
    /// `message.received`: the person's message, stored.
    public struct Received: Codable, Sendable, Equatable {
        /// The stored message.
        public var messageID: UUID
        /// Its text.
        public var text: String
        enum CodingKeys: String, CodingKey { case messageID = "message_id", text }
        /// Creates the data.
        public init(messageID: UUID, text: String) {
            self.messageID = messageID
            self.text = text
        }
    }

    /// `message.delta`: the next piece of an answer.
    public struct Delta: Codable, Sendable, Equatable {
        /// The answer.
        public var messageID: UUID
        /// The question.
        public var replyTo: UUID
        /// Which run of the router produced it: a higher attempt restarts the answer's text.
        public var attempt: Int
        /// The piece.
        public var text: String
        enum CodingKeys: String, CodingKey { case messageID = "message_id", replyTo = "reply_to", attempt, text }
        /// Creates the data.
        public init(messageID: UUID, replyTo: UUID, attempt: Int, text: String) {
            self.messageID = messageID
            self.replyTo = replyTo
            self.attempt = attempt
            self.text = text
        }
    }

    /// `message.completed`: the whole answer, authoritative over the deltas.
    public struct Completed: Codable, Sendable, Equatable {
        /// The answer.
        public var messageID: UUID
        /// The question.
        public var replyTo: UUID
        /// The whole text.
        public var text: String
        /// The provider kind that answered.
        public var provider: String
        /// The model that answered.
        public var model: String
        enum CodingKeys: String, CodingKey { case messageID = "message_id", replyTo = "reply_to", text, provider, model }
        /// Creates the data.
        public init(messageID: UUID, replyTo: UUID, text: String, provider: String, model: String) {
            self.messageID = messageID
            self.replyTo = replyTo
            self.text = text
            self.provider = provider
            self.model = model
        }
    }

    /// `message.failed`: why there is no (complete) answer, in words for the person.
    public struct Failed: Codable, Sendable, Equatable {
        /// The answer that failed.
        public var messageID: UUID
        /// The question.
        public var replyTo: UUID
        /// A stable code (`budget_exhausted`, `provider_failed`, ...).
        public var code: String
        /// The sentence shown to the person.
        public var message: String
        enum CodingKeys: String, CodingKey { case messageID = "message_id", replyTo = "reply_to", code, message }
        /// Creates the data.
        public init(messageID: UUID, replyTo: UUID, code: String, message: String) {
            self.messageID = messageID
            self.replyTo = replyTo
            self.code = code
            self.message = message
        }
    }

    /// `tool.started`: the assistant runs a tool while answering.
    public struct ToolStarted: Codable, Sendable, Equatable {
        /// The answer being made.
        public var messageID: UUID
        /// The provider's id of the call.
        public var callID: String
        /// The tool.
        public var name: String
        /// What the page shows meanwhile ("Drafting a post for LinkedIn…").
        public var label: String
        /// Which model call of the answer asked for it (1, 2, …).
        public var step: Int
        enum CodingKeys: String, CodingKey { case messageID = "message_id", callID = "call_id", name, label, step }
        /// Creates the data.
        public init(messageID: UUID, callID: String, name: String, label: String, step: Int) {
            self.messageID = messageID
            self.callID = callID
            self.name = name
            self.label = label
            self.step = step
        }
    }

    /// `tool.finished`: how a tool call ended.
    public struct ToolFinished: Codable, Sendable, Equatable {
        /// The answer being made.
        public var messageID: UUID
        /// The provider's id of the call.
        public var callID: String
        /// The tool.
        public var name: String
        /// Whether it did what was asked.
        public var ok: Bool
        /// The error's code when it did not (`invalid_arguments`, `refused`, ...).
        public var error: String?
        /// The post it made or changed, when it did.
        public var postID: UUID?
        enum CodingKeys: String, CodingKey { case messageID = "message_id", callID = "call_id", name, ok, error, postID = "post_id" }
        /// Creates the data.
        public init(messageID: UUID, callID: String, name: String, ok: Bool, error: String?, postID: UUID?) {
            self.messageID = messageID
            self.callID = callID
            self.name = name
            self.ok = ok
            self.error = error
            self.postID = postID
        }
    }
}
