extension RedisConnection: BlockingPoolConnection {
    /// Reusable while open and quiet: a socket that reads as closed (the server restarted) is not.
    var isReusable: Bool { isOpen && !hasUnexpectedInput }
}

// One owner at a time is guaranteed by `BlockingConnectionPool`'s leases.
extension RedisConnection: @unchecked Sendable {}
