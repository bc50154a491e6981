public import Foundation

/// Turns the photos people send into images the model can see: fetched once from the channel,
/// checked against the limits, kept in the media store under the tenant's own directory, and read
/// from there on every later turn.
public struct MediaLibrary: Sendable {
    private let sources: [String: any MediaSource]
    private let store: any MediaStore
    /// The limits every image is checked against.
    public let limits: MediaLimits

    /// Creates the library over the channels' sources and a store.
    public init(sources: [any MediaSource], store: any MediaStore, limits: MediaLimits = MediaLimits()) {
        self.sources = Dictionary(sources.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        self.store = store
        self.limits = limits
    }

    /// The image `media` shows, sent in `conversation` of `tenant`.
    /// - Throws: `MediaError`: too large, not an image type providers take, or not to be had.
    public func image(_ media: MediaReference, in conversation: Conversation, tenant: TenantID) async throws -> ChatRequest.Image {
        let key = Self.key(media, channel: conversation.channel, tenant: tenant)
        if let stored = try await store.read(key) { return try limits.image(stored) }
        guard let source = sources[conversation.channel] else {
            throw MediaError(code: .notFound, message: "the \(conversation.channel) channel cannot hand over files")
        }
        let bytes = try await source.download(media, in: conversation, tenant: tenant, maxBytes: limits.maxBytes)
        let image = try limits.image(bytes)
        try await store.write(bytes, to: key)
        return image
    }

    /// The images of a message's parts, in order, and a note for each: its `media_id` (so the model
    /// can attach it to a post), or why it cannot be shown (so the model can tell the person).
    public func images(
        of parts: [MessagePart], in conversation: Conversation, tenant: TenantID
    ) async throws -> (images: [ChatRequest.Image], notes: [String]) {
        var images: [ChatRequest.Image] = []
        var notes: [String] = []
        for case .media(let media) in parts where media.kind == "image" || media.kind == "document" {
            do {
                images.append(try await image(media, in: conversation, tenant: tenant))
                notes.append("[image media_id: \(Self.mediaID(media, channel: conversation.channel, tenant: tenant))]")
            } catch let error as MediaError where error.code != .unavailable {
                // A document that is no image is simply a document; a refused photo is worth saying.
                if media.kind == "image" || error.code == .tooLarge { notes.append("[\(media.kind) not shown: \(error.message)]") }
            }
        }
        return (images, notes)
    }

    /// The short id the model is shown with an image, and names it by in `draft_post`.
    public static func mediaID(_ media: MediaReference, channel: String, tenant: TenantID) -> String {
        "m_" + key(media, channel: channel, tenant: tenant).split(separator: "/").last!.prefix(16)
    }

    /// The store key: the tenant's directory and a hash of where the file came from, so the same
    /// photo is fetched once and a key never carries what a sender wrote.
    static func key(_ media: MediaReference, channel: String, tenant: TenantID) -> String {
        "\(tenant)/\(SHA256.hexDigest(channel + "\n" + media.reference))"
    }
}
