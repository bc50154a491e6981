public import Foundation
public import LeopostCore
import Synchronization

/// Recently used channel connections, credentials opened, for the webhooks: every update would
/// otherwise read and open its connection again. Entries live `lifetime`; connections cannot be
/// changed once made (a new one is made instead), so a short lifetime only bounds how long a
/// deleted one keeps working.
public final class ChannelConnectionCache: Sendable {
    private struct Entry {
        let connection: ChannelConnection
        let expires: ContinuousClock.Instant
    }

    private let store: ChannelConnectionStore
    private let lifetime: Duration
    private let entries = Mutex<[UUID: Entry]>([:])
    /// At most this many connections are kept; the cache is emptied when it would grow past it.
    private let capacity = 10_000

    /// Creates a cache over `store`.
    public init(store: ChannelConnectionStore, lifetime: Duration = .seconds(30)) {
        self.store = store
        self.lifetime = lifetime
    }

    /// The connection `id` of `tenant`, from the cache or the store.
    public func connection(_ id: UUID, tenant: TenantID) async throws -> ChannelConnection? {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[id] }), entry.expires > now, entry.connection.tenantID == tenant { return entry.connection }
        guard let connection = try await store.connection(id, tenant: tenant) else { return nil }
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll() }
            entries[id] = Entry(connection: connection, expires: now + lifetime)
        }
        return connection
    }
}
