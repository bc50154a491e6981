public import LeopostCore

extension ChannelError {
    /// A channel's refusal to hand over a file, as the media library's error: worth another try
    /// when the channel was busy or unreachable, gone otherwise.
    var asMediaError: MediaError {
        switch code {
        case .rateLimited, .unavailable, .unknownOutcome: MediaError(code: .unavailable, message: message)
        default: MediaError(code: .notFound, message: message)
        }
    }
}
