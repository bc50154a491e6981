extension RedisConnection: BlockingPoolConnection {
    /// Alive while open and quiet: a socket that reads as closed (the server restarted) is not.
    func checkAlive() -> Bool { isOpen && !hasUnexpectedInput }
    /// Kept while open; hiredis leaves no per-borrower state behind.
    func prepareForReuse() -> Bool { isOpen }
}

// One owner at a time is guaranteed by `BlockingConnectionPool`'s leases.
extension RedisConnection: @unchecked Sendable {}
