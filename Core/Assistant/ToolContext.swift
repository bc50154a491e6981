public import Foundation

/// Whose behalf a tool runs on: the tenant, the person, the conversation being answered and the
/// person's clock. Built by the router from the stored conversation, never from model output.
public struct ToolContext: Sendable {
    /// The tenant.
    public var tenant: TenantID
    /// The person whose message is being answered; tools see only what this person may see.
    public var userID: UUID
    /// The conversation; drafts are made for it, and previews and outcomes are shown in it.
    public var conversationID: UUID
    /// The channel it is on.
    public var channel: String
    /// The person's time zone: how times are shown to them and meant by them.
    public var timeZone: TimeZone
    /// Whether the person or the tenant chose `timeZone` (`false`: UTC by default, not yet asked).
    public var timeZoneKnown = true
    /// Writes post texts with the policy's `draft` chain; `nil` where no router runs the tools.
    public var writer: (any PostWriting)?
    /// Now, once for the whole answer.
    public var now: Date
    /// The tenant's policy, as read for this answer (whether posts wait for confirmation, which platforms).
    public var policy: RoutingPolicy

    /// Creates a context.
    public init(tenant: TenantID, userID: UUID, conversationID: UUID, channel: String, timeZone: TimeZone, now: Date, policy: RoutingPolicy) {
        self.policy = policy
        self.tenant = tenant
        self.userID = userID
        self.conversationID = conversationID
        self.channel = channel
        self.timeZone = timeZone
        self.now = now
    }
}
