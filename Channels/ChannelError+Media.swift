public import LeopostCore

extension ChannelError {
    /// A channel's refusal to hand over a file, as the media library's error: worth another try
    /// when the channel was busy or unreachable, gone otherwise.
    var asMediaError: MediaError {
        MediaError(code: isRetryable ? .unavailable : .notFound, message: message)
    }
}
