public import Foundation
public import HTTPTypes
public import Hummingbird
import NIOCore

/// JSON in and out of the HTTP API: snake-case keys, ISO 8601 dates, and a 400 that names the
/// field when a body does not fit (`text: expected a string`), not a generic parse failure.
public enum JSONBody {
    /// The API's encoder: snake-case keys, ISO 8601 dates, sorted keys (also the CLI's `--json`).
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        // ISO 8601 with or without fractional seconds: browsers' `toISOString()` sends milliseconds,
        // which Foundation's plain `.iso8601` strategy refuses.
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
            if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return date }
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected an ISO 8601 time such as 2026-11-26T09:30:00Z, got \"\(text)\""))
        }
        return decoder
    }()

    /// `value` as a JSON response.
    public static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The request's body decoded as `type`.
    /// - Throws: `APIError` 400 for an empty body, invalid JSON or a missing or mistyped field; 413 past `limit`.
    public static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        guard let value = try await decodeIfPresent(type, from: request, limit: limit) else {
            throw APIError.invalidJSON("send a JSON object in the body")
        }
        return value
    }

    /// Like `decode`, but an empty body is `nil` (for requests whose fields are all optional).
    public static func decodeIfPresent<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T? {
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: limit) } catch is NIOTooManyBytesError {
            throw APIError.payloadTooLarge(limit: limit)
        }
        guard body.readableBytes > 0 else { return nil }
        do {
            return try decoder.decode(T.self, from: Data(body.readableBytesView))
        } catch let error as DecodingError {
            throw APIError.invalidJSON(describe(error))
        }
    }

    /// A decoding failure in words: which field, and what was wrong with it.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue.snakeCased }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): missing"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath).isEmpty ? "the body" : path(context.codingPath)): expected \(describe(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(describe(type)), found null"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "the body is not valid JSON" : "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "the body does not have the expected shape"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: type is any Collection.Type ? "a list" : "an object"
        }
    }
}

extension String {
    /// `replyTo` → `reply_to`, for naming fields in errors as the client wrote them.
    fileprivate var snakeCased: String {
        reduce(into: "") { result, character in
            if character.isUppercase { result += "_" + character.lowercased() } else { result.append(character) }
        }
    }
}
