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

    /// Appends `text` as a JSON string: quotes, backslashes and control characters escaped (RFC 8259 §7).
    /// For JSON written by hand on a hot path, where `encoder` would cost more than the work it describes.
    public static func appendString(_ text: String, to json: inout [UInt8]) {
        json.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                json.append(UInt8(ascii: "\\"))
                json.append(byte)
            case 0..<0x20:
                json.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                json.append(hexDigits[Int(byte >> 4)])
                json.append(hexDigits[Int(byte & 0xF)])
            default:
                json.append(byte)
            }
        }
        json.append(UInt8(ascii: "\""))
    }

    /// `text` as a JSON string, quotes included (see ``appendString(_:to:)``).
    public static func quoted(_ text: String) -> String {
        var json: [UInt8] = []
        json.reserveCapacity(text.utf8.count + 2)
        appendString(text, to: &json)
        return String(decoding: json, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
