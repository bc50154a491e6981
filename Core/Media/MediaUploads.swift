/// Images a person attaches in the web chat: checked like any photo (size, type by its bytes),
/// kept in the media store where the router's `MediaLibrary` finds them, and named by their hash
/// (`upload:<sha256>`), so an upload is stored once and an id names nothing outside its tenant.
public struct MediaUploads: Sendable {
    /// How an upload's id begins.
    public static let prefix = "upload:"
    /// The channel uploads belong to: the web chat's (`WebChannel.kind`).
    public static let channel = "web"
    /// Images one message may carry.
    public static let maxPerMessage = 4

    private let store: any MediaStore
    /// The limits uploads are checked against (the router's own).
    public let limits: MediaLimits

    /// Creates the uploads over the store the router reads.
    public init(store: any MediaStore, limits: MediaLimits = MediaLimits()) {
        self.store = store
        self.limits = limits
    }

    /// Stores `bytes` for `tenant` and returns the reference a message carries.
    /// - Throws: `MediaError` (`tooLarge`, `refusedType`).
    public func accept(_ bytes: [UInt8], tenant: TenantID) async throws -> (reference: MediaReference, size: Int) {
        let image = try limits.image(bytes)
        let reference = MediaReference(kind: "image", reference: Self.prefix + SHA256.hexDigest(bytes), mimeType: image.mimeType)
        try await store.write(bytes, to: MediaLibrary.key(reference, channel: Self.channel, tenant: tenant))
        return (reference, bytes.count)
    }

    /// The reference for an upload id `tenant` made, or `nil` when it has no such upload.
    public func reference(_ id: String, tenant: TenantID) async throws -> MediaReference? {
        guard id.hasPrefix(Self.prefix), id.count == Self.prefix.count + 64, id.dropFirst(Self.prefix.count).allSatisfy(\.isHexDigit) else {
            return nil
        }
        let reference = MediaReference(kind: "image", reference: id)
        guard let bytes = try await store.read(MediaLibrary.key(reference, channel: Self.channel, tenant: tenant)) else { return nil }
        return MediaReference(kind: "image", reference: id, mimeType: MediaLimits.sniff(bytes))
    }
}
