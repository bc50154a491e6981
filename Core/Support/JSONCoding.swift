public import Foundation

/// The JSON coders of Leopost's own records (stage jobs, stored parts, tokens, the endpoints file,
/// channel payloads), configured once: keys as declared, ISO 8601 dates, sorted keys, no escaped
/// slashes. The HTTP API's snake-case set is ``JSONBody``'s; the providers' wire set is theirs.
///
/// Built once and shared (the coders are thread-safe and never reconfigured), because the stage
/// runtime encodes every job several times on its hot path.
public enum JSONCoding {
    /// Encodes Leopost's records.
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }()

    /// Decodes Leopost's records and channels' payloads (whose keys their `CodingKeys` name).
    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
