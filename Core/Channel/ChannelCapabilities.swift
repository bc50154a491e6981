/// What a channel can do with an answer, so the router and the delivery stage need no
/// channel-specific branches.
public struct ChannelCapabilities: Sendable, Equatable {
    /// How the channel renders text.
    public enum Markup: String, Sendable {
        /// Text as it is.
        case plain
        /// A subset of HTML (Telegram's `parse_mode=HTML`).
        case html
        /// Markdown.
        case markdown
    }

    /// The most a single message may hold, counted in UTF-16 code units (what Telegram and
    /// WhatsApp count); longer answers are split.
    public var maxMessageLength: Int
    /// How text is rendered.
    public var markup: Markup
    /// Whether a sent message can be edited (progressive answers on Telegram).
    public var canEditSentMessage: Bool
    /// Whether the channel shows an answer as it is produced (the web's SSE). Channels that
    /// cannot stream get the finished answer through the delivery stage.
    public var canStream: Bool

    /// Creates capabilities.
    public init(maxMessageLength: Int, markup: Markup = .plain, canEditSentMessage: Bool = false, canStream: Bool = false) {
        self.maxMessageLength = maxMessageLength
        self.markup = markup
        self.canEditSentMessage = canEditSentMessage
        self.canStream = canStream
    }
}
