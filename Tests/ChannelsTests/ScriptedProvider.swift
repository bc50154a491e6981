import LeopostCore
import Synchronization

/// An in-process provider whose answer is set by the test: the pieces, then a usage report, or a
/// failure or a hang after some pieces. It remembers every request it got.
///
/// The wire formats of the real providers are tested against their fakes in ProvidersTests; the
/// router's tests need exact control over timing and usage instead.
final class ScriptedProvider: AIProvider, Sendable {
    enum Ending: Sendable {
        /// Report this usage and stop.
        case finish(TokenUsage?)
        /// Fail with this error after the pieces.
        case fail(ProviderError)
        /// Never end (until cancelled).
        case hang
    }

    let kind: String
    let pieces: [String]
    let ending: Ending
    /// A wait before each piece, as a model's pace.
    let pause: Duration?
    private let seen = Mutex<[ChatRequest]>([])

    init(kind: String = "openai", pieces: [String] = ["Hello", " there", "!"], ending: Ending = .finish(nil), pause: Duration? = nil) {
        self.kind = kind
        self.pause = pause
        self.pieces = pieces
        self.ending = ending
    }

    /// The requests received so far.
    var requests: [ChatRequest] { seen.withLock { $0 } }

    func stream(_ request: ChatRequest) async throws -> AsyncThrowingStream<ChatEvent, any Error> {
        seen.withLock { $0.append(request) }
        let pieces = pieces
        let ending = ending
        let pause = pause
        var index = 0
        var ended = false
        return AsyncThrowingStream {
            if index < pieces.count {
                if let pause { try await Task.sleep(for: pause) }
                index += 1
                return .delta(pieces[index - 1])
            }
            guard !ended else { return nil }
            ended = true
            switch ending {
            case .finish(let usage): return usage.map { .usage($0) } ?? .finished(.stop)
            case .fail(let error): throw error
            case .hang:
                try await Task.sleep(for: .seconds(3600))
                return nil
            }
        }
    }
}
