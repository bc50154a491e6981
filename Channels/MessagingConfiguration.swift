/// Where the messaging channels' APIs are and where Leopost can be reached from outside, read
/// once at start-up from the environment.
public struct MessagingConfiguration: Sendable {
    /// Leopost's public base URL (`LEOPOST_PUBLIC_URL`, e.g. `https://chat.example.com`): webhook
    /// URLs are made from it. Without it, Telegram connections are not registered with Telegram.
    public var publicBaseURL: String?
    /// The Telegram Bot API (`TELEGRAM_API_BASE_URL`).
    public var telegramAPIBaseURL: String
    /// The WhatsApp Cloud API with its version (`WHATSAPP_API_BASE_URL`).
    public var whatsAppAPIBaseURL: String

    /// Creates a configuration.
    public init(
        publicBaseURL: String? = nil, telegramAPIBaseURL: String = TelegramBotAPI.defaultBaseURL,
        whatsAppAPIBaseURL: String = WhatsAppCloudAPI.defaultBaseURL
    ) {
        self.publicBaseURL = publicBaseURL
        self.telegramAPIBaseURL = telegramAPIBaseURL
        self.whatsAppAPIBaseURL = whatsAppAPIBaseURL
    }

    /// Reads the variables above; unset ones keep their defaults.
    public init(environment: [String: String]) {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : String($0.reversed().drop { $0 == "/" }.reversed()) } }
        self.init(
            publicBaseURL: value("LEOPOST_PUBLIC_URL"), telegramAPIBaseURL: value("TELEGRAM_API_BASE_URL") ?? TelegramBotAPI.defaultBaseURL,
            whatsAppAPIBaseURL: value("WHATSAPP_API_BASE_URL") ?? WhatsAppCloudAPI.defaultBaseURL
        )
    }
}
