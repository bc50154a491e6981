/// The channels a deployment runs and what each can do, taken from their adapters: the one
/// place the router (stream, or deliver, or show partials) learns about channels, so a new
/// channel is one adapter and nothing else.
public struct ChannelCatalog: Sendable {
    /// Each channel's capabilities, by kind.
    public let capabilities: [String: ChannelCapabilities]

    /// The catalog of `adapters`' kinds and capabilities.
    public init(_ adapters: [any ChannelAdapter]) {
        self.init(capabilities: Dictionary(adapters.map { ($0.kind, $0.capabilities) }, uniquingKeysWith: { first, _ in first }))
    }

    /// A catalog of known capabilities, for tests and tools without adapters.
    public init(capabilities: [String: ChannelCapabilities]) {
        self.capabilities = capabilities
    }

    /// The kinds, sorted.
    public var kinds: [String] { capabilities.keys.sorted() }

    /// Whether `kind` shows the event stream itself (the web's SSE); the others get answers through the delivery stage.
    public func streams(_ kind: String) -> Bool { capabilities[kind]?.canStream == true }

    /// Whether `kind` should see the answer so far while it is produced, as one message edited as it
    /// grows: a channel that cannot stream but can edit what it sent (Telegram).
    public func showsPartials(_ kind: String) -> Bool {
        guard let channel = capabilities[kind] else { return false }
        return !channel.canStream && channel.canEditSentMessage
    }
}
