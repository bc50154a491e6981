public import Foundation
import HTTPTypes
public import Hummingbird
import Synchronization

/// A post a fake platform accepted.
public struct FakePlatformPost: Sendable, Equatable {
    /// The platform's id for it.
    public let id: String
    /// Its text (the caption, commentary or status).
    public let text: String
    /// The `Idempotency-Key` it came with, if any.
    public let idempotencyKey: String?
    /// The account, page or author it was posted as.
    public let author: String
    /// When it was accepted.
    public let createdAt: Date
}

/// What a fake platform does with the next publish request, scripted by a test.
public enum FakePlatformBehaviour: Sendable, Equatable {
    /// Answer 429 as the platform does, asking to wait `retryAfter` seconds; nothing is posted.
    case rateLimit(retryAfter: Int)
    /// Answer the platform's 5xx error; nothing is posted.
    case serverError
    /// Answer 401 as for an expired token; nothing is posted.
    case expiredToken
    /// Post it, then hold the answer for this many seconds (longer than the client waits): the
    /// caller cannot know that the post went out.
    case acceptThenStall(seconds: Double)
}

/// The state every fake platform keeps: accepted posts in order, publish attempts, and the
/// behaviours a test queued for the next publish requests. Thread-safe.
public final class FakePlatformLedger: Sendable {
    private struct State {
        var posts: [FakePlatformPost] = []
        var attempts = 0
        var queued: [FakePlatformBehaviour] = []
        var nextID = 1_000_000
    }

    private let state = Mutex(State())

    /// Creates an empty ledger.
    public init() {}

    /// Every post accepted so far, in order.
    public var posts: [FakePlatformPost] { state.withLock(\.posts) }

    /// Publish requests received (accepted or not).
    public var attempts: Int { state.withLock(\.attempts) }

    /// Queues behaviours for the next publish requests, in order.
    public func queue(_ behaviours: FakePlatformBehaviour...) {
        state.withLock { $0.queued.append(contentsOf: behaviours) }
    }

    /// Counts a publish request and returns the behaviour queued for it (`nil`: answer normally).
    public func nextBehaviour() -> FakePlatformBehaviour? {
        state.withLock { state in
            state.attempts += 1
            return state.queued.isEmpty ? nil : state.queued.removeFirst()
        }
    }

    /// A new numeric id, unique within this fake.
    public func newID() -> String {
        state.withLock { state in
            state.nextID += 1
            return String(state.nextID)
        }
    }

    /// Records an accepted post.
    @discardableResult
    public func accept(id: String, text: String, idempotencyKey: String?, author: String) -> FakePlatformPost {
        let post = FakePlatformPost(id: id, text: text, idempotencyKey: idempotencyKey, author: author, createdAt: Date())
        state.withLock { $0.posts.append(post) }
        return post
    }

    /// The post accepted earlier under `idempotencyKey`, if any.
    public func post(idempotencyKey: String) -> FakePlatformPost? {
        state.withLock { $0.posts.first { $0.idempotencyKey == idempotencyKey } }
    }

    /// A JSON response with `status` and extra headers.
    public static func json(_ status: HTTPResponse.Status, _ body: String, headers: [(String, String)] = []) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "application/json; charset=utf-8"
        for (name, value) in headers {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
