import Foundation

/// One JSON decoder and encoder for every adapter's wire types, built once: stream events are
/// decoded once per token, on the hottest path of an answer.
enum WireJSON {
    static let decoder = JSONDecoder()
    static let encoder = JSONEncoder()
}
