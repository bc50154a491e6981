public import LeopostCore

/// WhatsApp as a channel: plain text (WhatsApp renders its own `*bold*` and `_italic_`) in pieces
/// of at most 4,096 characters, sent through the connection's business phone number. Outside the
/// 24-hour customer-service window, a piece goes out as the connection's approved template
/// (`settings.template_name`, `template_language`; its body's one parameter is the piece).
public struct WhatsAppChannel: ChannelAdapter {
    /// The channel's name on conversations and messages.
    public static let kind = "whatsapp"

    let connections: ChannelConnectionStore
    let http: HTTPClient
    let baseURL: String

    /// Creates the adapter.
    public init(connections: ChannelConnectionStore, http: HTTPClient, baseURL: String = WhatsAppCloudAPI.defaultBaseURL) {
        self.connections = connections
        self.http = http
        self.baseURL = baseURL
    }

    public var kind: String { Self.kind }

    public var capabilities: ChannelCapabilities {
        ChannelCapabilities(maxMessageLength: 4_096, markup: .markdown, canEditSentMessage: false, canStream: false)
    }

    public func send(_ pieces: [String], for message: OutboundMessage, idempotencyKey: String) async throws -> DeliveryReceipt {
        guard let id = message.connectionID, let connection = try await connections.connection(id, tenant: message.tenantID),
            let token = connection.credentials["access_token"], let phoneNumberID = connection.settings["phone_number_id"]
        else { throw ChannelError(code: .rejected, message: "the WhatsApp connection of this conversation no longer exists") }
        let api = WhatsAppCloudAPI(http: http, baseURL: baseURL, accessToken: token)
        if let preview = message.parts.postPreview {
            // An interactive message's body holds 1,024 characters: the preview is cut there, with the
            // whole post in the web chat; the buttons carry the decision.
            let body = "Draft for \(preview.platform):\n\n\(preview.text)"
            let buttons = [
                (id: PostDecision.confirm.buttonData(for: preview.postID), title: "Confirm"),
                (id: PostDecision.cancel.buttonData(for: preview.postID), title: "Cancel"),
            ]
            let text = body.count > 1_024 ? String(body.prefix(1_021)) + "…" : body
            return DeliveryReceipt(externalIDs: [try await api.sendButtons(text, buttons: buttons, to: message.recipient, from: phoneNumberID)])
        }
        var ids: [String] = []
        for piece in pieces {
            do {
                ids.append(try await api.sendText(piece, to: message.recipient, from: phoneNumberID))
            } catch let error as ChannelError where error.code == .windowClosed {
                // Outside the 24-hour window only an approved template goes out: the connection's,
                // with the piece as its parameter; without one, the refusal is recorded as it is.
                guard let template = connection.settings["template_name"], !template.isEmpty else { throw error }
                let language = connection.settings["template_language"] ?? "en_US"
                ids.append(try await api.sendTemplate(template, language: language, text: piece, to: message.recipient, from: phoneNumberID))
            }
        }
        return DeliveryReceipt(externalIDs: ids)
    }
}
