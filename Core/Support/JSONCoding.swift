import Foundation

/// The JSON coders Leopost uses everywhere, configured once: ISO 8601 dates, no escaped slashes.
///
/// Built once and shared (the coders are thread-safe and never reconfigured), because the stage
/// runtime encodes every job several times on its hot path.
enum JSONCoding {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
