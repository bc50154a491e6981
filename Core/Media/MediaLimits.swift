/// What a person may send for the model to see: a size and the image types every provider takes.
///
/// The type is judged by the file's first bytes, never by the channel's or the sender's word for
/// it, so a script renamed `.jpg` is refused and a PNG sent as "document" is seen for what it is.
public struct MediaLimits: Sendable, Equatable {
    /// The largest file accepted. 5 MiB by default: Anthropic's limit per image, and within
    /// OpenAI's and Gemini's, so one limit holds for every chain.
    public var maxBytes: Int

    /// Creates limits.
    public init(maxBytes: Int = 5 * 1024 * 1024) {
        self.maxBytes = maxBytes
    }

    /// The image types accepted, by the MIME type each is passed on as.
    public static let acceptedTypes = ["image/jpeg", "image/png", "image/gif", "image/webp"]

    /// The MIME type the bytes are, among `acceptedTypes`, or `nil`.
    public static func sniff(_ bytes: [UInt8]) -> String? {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
        }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return "image/gif" }
        if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) { return "image/webp" }
        return nil
    }

    /// The bytes as an image the model can see, or why not.
    /// - Throws: `MediaError` (`tooLarge`, `refusedType`).
    public func image(_ bytes: [UInt8]) throws -> ChatRequest.Image {
        guard bytes.count <= maxBytes else { throw Self.tooLarge(bytes.count, limit: maxBytes) }
        guard let type = Self.sniff(bytes) else {
            throw MediaError(code: .refusedType, message: "only JPEG, PNG, GIF and WebP images can be shown to the assistant")
        }
        return ChatRequest.Image(mimeType: type, data: bytes)
    }

    /// The error for a file of `size` bytes (`nil`: not known, the download was stopped) over `limit`.
    public static func tooLarge(_ size: Int?, limit: Int) -> MediaError {
        let what = size.map { "the file is \(megabytes($0)), over" } ?? "the file is over"
        return MediaError(code: .tooLarge, message: "\(what) the limit of \(megabytes(limit))")
    }

    /// "7.1 MB", or "3 KB" under a megabyte (rounded up, so a file over a limit never reads as equal to it).
    static func megabytes(_ bytes: Int) -> String {
        let mebibyte = 1024 * 1024
        guard bytes >= mebibyte else { return "\((bytes + 1023) / 1024) KB" }
        let tenths = (bytes * 10 + mebibyte / 2) / mebibyte
        return "\(tenths / 10).\(tenths % 10) MB"
    }
}
