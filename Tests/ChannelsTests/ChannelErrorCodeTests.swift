import LeopostCore
import Testing

@testable import LeopostChannels

/// Each channel API's error answers, exactly as the APIs send them, classified once into a code.
@Suite("Channel errors by code")
struct ChannelErrorCodeTests {
    @Test func telegramsSameTextEditIsUnchangedAndOtherBadRequestsAreRejected() {
        let same: [String: Any] = [
            "ok": false, "error_code": 400,
            "description":
                "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
        ]
        #expect(TelegramBotAPI.error(method: "editMessageText", status: 400, body: same).code == .unchanged)
        let gone: [String: Any] = ["ok": false, "error_code": 400, "description": "Bad Request: message to edit not found"]
        #expect(TelegramBotAPI.error(method: "editMessageText", status: 400, body: gone).code == .rejected)
        let blocked: [String: Any] = ["ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user"]
        #expect(TelegramBotAPI.error(method: "sendMessage", status: 403, body: blocked).code == .rejected)
        let slow: [String: Any] = [
            "ok": false, "error_code": 429, "description": "Too Many Requests: retry after 7", "parameters": ["retry_after": 7],
        ]
        let limited = TelegramBotAPI.error(method: "sendMessage", status: 429, body: slow)
        #expect(limited.code == .rateLimited && limited.retryAfter == .seconds(7))
    }

    @Test func whatsAppsClosedWindowHasItsOwnCode() {
        let closed: [String: Any] = [
            "error": [
                "message": "(#131047) Re-engagement message", "type": "OAuthException", "code": 131047,
                "error_data": [
                    "messaging_product": "whatsapp",
                    "details": "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
                ],
                "fbtrace_id": "AbCdEf",
            ] as [String: Any]
        ]
        let error = WhatsAppCloudAPI.error(status: 400, body: closed)
        #expect(error.code == .windowClosed)
        #expect(!error.isRetryable)
        let throughput: [String: Any] = ["error": ["message": "(#130429) Rate limit hit", "code": 130429] as [String: Any]]
        #expect(WhatsAppCloudAPI.error(status: 400, body: throughput).code == .rateLimited)
    }

    @Test func errorsAreEqualByCode() {
        #expect(ChannelError(code: .rejected, message: "a") == ChannelError(code: .rejected, message: "b"))
        #expect(ChannelError(code: .unchanged, message: "a") != ChannelError(code: .rejected, message: "a"))
        #expect(ChannelError.Code.windowClosed.description == "window_closed")
    }
}
