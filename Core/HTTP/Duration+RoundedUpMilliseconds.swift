extension Duration {
    /// Whole milliseconds, rounded up so a tiny positive limit never becomes 0 ("no limit" to curl).
    var roundedUpMilliseconds: Int {
        let (seconds, attoseconds) = components
        let millis = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int(max(1, millis))
    }
}
