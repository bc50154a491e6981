import Foundation
import LeopostChannels
import LeopostCore
import LeopostTestSupport
import Testing

@Suite("Web chat: bad input, other people's and other tenants' ids, rate limits")
struct WebChatBadInputTests {
    @Test func otherPeoplesAndOtherTenantsConversationsAreNotFound() async throws {
        try await ChatHarness.with { chat in
            let alice = try chat.token("alice")
            let conversation = try await chat.newConversation(credential: alice)
            let bob = try chat.token("bob")
            let other = try await TenantStore(pool: chat.database.app).createTenant(name: "Rival")
            let stranger = try chat.token("alice", tenant: other.tenantID)
            for credential in [bob, stranger, other.apiKey] {
                #expect(try await chat.call("GET", "/v1/conversations/\(conversation)/messages", credential: credential).status == 404)
                #expect(
                    try await chat.call("POST", "/v1/conversations/\(conversation)/messages", json: #"{"text":"hi"}"#, credential: credential).status
                        == 404)
                #expect(try await chat.call("GET", "/v1/conversations/\(conversation)/events", credential: credential).status == 404)
                let list = try await chat.call("GET", "/v1/conversations", credential: credential)
                #expect(list.status == 200)
                #expect(!list.body.contains(conversation))
            }
            // The tenant's own API key sees every conversation of the tenant.
            #expect(try await chat.call("GET", "/v1/conversations/\(conversation)/messages", credential: chat.tenant.apiKey).status == 200)
            #expect(try await chat.call("GET", "/v1/conversations/\(UUID())/messages", credential: alice).status == 404)
            #expect(try await chat.call("GET", "/v1/conversations/not-an-id/messages", credential: alice).status == 404)
        }
    }

    @Test func missingWrongAndExpiredCredentialsAre401() async throws {
        try await ChatHarness.with { chat in
            let conversation = try await chat.newConversation(credential: try chat.token())
            let expired = try chat.signer.sign(JWTClaims(sub: "alice", tid: chat.tenant.tenantID.description, iat: 1_000, exp: 2_000))
            let forged = try JWTSigner(secret: Array(repeating: 7, count: 32)).sign(
                JWTClaims(sub: "alice", tid: chat.tenant.tenantID.description, lifetime: .seconds(60)))
            for credential in [nil, expired, forged, "lpk_nonsense"] {
                let answer = try await chat.call(
                    "POST", "/v1/conversations/\(conversation)/messages", json: #"{"text":"hi"}"#, credential: credential)
                #expect(answer.status == 401)
                #expect(answer.body.contains(#""code":"unauthorized""#))
            }
            // A query token is only for the event stream (ChatTokenScopeTests has the rest).
            let token = try chat.token()
            #expect(try await chat.call("GET", "/v1/conversations?access_token=\(token)", credential: nil).status == 401)
            #expect(
                try await chat.call("GET", "/v1/conversations?access_token=\(token)", credential: nil, headers: [("Accept", "text/event-stream")])
                    .status == 401
            )
        }
    }

    @Test func emptyOversizedAndMalformedMessagesAreRefusedWithReasons() async throws {
        try await ChatHarness.with { chat in
            let token = try chat.token()
            let conversation = try await chat.newConversation(credential: token)
            let path = "/v1/conversations/\(conversation)/messages"
            let empty = try await chat.call("POST", path, json: #"{"text":"   "}"#, credential: token)
            #expect(empty.status == 400)
            #expect(empty.body.contains("empty"))
            let long = String(repeating: "a", count: 16_001)
            let tooLong = try await chat.call("POST", path, json: #"{"text":"\#(long)"}"#, credential: token)
            #expect(tooLong.status == 413)
            #expect(tooLong.body.contains("16001"))
            let huge = try await chat.call("POST", path, json: #"{"text":"\#(String(repeating: "b", count: 70_000))"}"#, credential: token)
            #expect(huge.status == 413)
            let malformed = try await chat.call("POST", path, json: #"{"text": "#, credential: token)
            #expect(malformed.status == 400)
            #expect(malformed.body.contains("not valid JSON"))
            let missing = try await chat.call("POST", path, json: #"{"message":"hi"}"#, credential: token)
            #expect(missing.status == 400)
            #expect(missing.body.contains("text: missing"))
            let mistyped = try await chat.call("POST", path, json: #"{"text":5}"#, credential: token)
            #expect(mistyped.status == 400)
            #expect(mistyped.body.contains("text: expected a string"))
            // Nothing of that was stored.
            let history = try await chat.call("GET", path, credential: token)
            #expect((ChatHarness.object(history.body)["messages"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func aPersonOverTheRateLimitGets429WithRetryAfter() async throws {
        try await ChatHarness.with { chat in
            try await PolicyStore(pool: chat.database.app).apply("rate_limits: {user_per_minute: 2}", tenant: chat.tenant.tenantID)
            let token = try chat.token()
            let conversation = try await chat.newConversation(credential: token)
            let path = "/v1/conversations/\(conversation)/messages"
            #expect(try await chat.call("POST", path, json: #"{"text":"one"}"#, credential: token).status == 202)
            #expect(try await chat.call("POST", path, json: #"{"text":"two"}"#, credential: token).status == 202)
            let third = try await chat.call("POST", path, json: #"{"text":"three"}"#, credential: token)
            #expect(third.status == 429)
            #expect(Int(third.headers.first(name: "Retry-After") ?? "") ?? 0 >= 1)
            #expect(third.body.contains("2 messages a minute"))
            // Another person of the tenant is not held back by alice.
            let bob = try chat.token("bob")
            let theirs = try await chat.newConversation(credential: bob)
            #expect(try await chat.call("POST", "/v1/conversations/\(theirs)/messages", json: #"{"text":"hi"}"#, credential: bob).status == 202)
        }
    }
}

@Suite("Secrets API: API key only, names out, values never")
struct SecretRoutesTests {
    @Test func onlyTheAPIKeyStoresSecretsAndValuesNeverComeBack() async throws {
        try await ChatHarness.with { chat in
            let body = #"{"value":"sk-live-very-secret"}"#
            let byToken = try await chat.call("PUT", "/v1/secrets/openai", json: body, credential: try chat.token())
            #expect(byToken.status == 403)
            let stored = try await chat.call("PUT", "/v1/secrets/openai", json: body, credential: chat.tenant.apiKey)
            #expect(stored.status == 200)
            #expect(!stored.body.contains("sk-live"))
            let listed = try await chat.call("GET", "/v1/secrets", credential: chat.tenant.apiKey)
            #expect(listed.body == #"{"names":["openai"]}"#)
            #expect(try await chat.call("PUT", "/v1/secrets/bad%20name", json: body, credential: chat.tenant.apiKey).status == 400)
            #expect(try await chat.call("PUT", "/v1/secrets/x", json: #"{"value":""}"#, credential: chat.tenant.apiKey).status == 400)
        }
    }
}

@Suite("Channels, link codes, brand and feedback: bad input")
struct ConfigurationBadInputTests {
    @Test func channelConnectionsRefuseChatTokensUnknownKindsAndMissingCredentials() async throws {
        // No public URL: Telegram connections are long-polled; Leopost only deletes any webhook.
        let telegram = FakeTelegram(token: "1:x")
        try await withTestHTTPServer(router: telegram.router()) { telegramPort in
            try await ChatHarness.with(messaging: MessagingConfiguration(telegramAPIBaseURL: "http://127.0.0.1:\(telegramPort)")) { chat in
                let key = chat.tenant.apiKey
                #expect(try await chat.call("POST", "/v1/channels", json: #"{"kind":"whatsapp","credentials":{}}"#, credential: nil).status == 401)
                #expect(try await chat.call("GET", "/v1/channels", credential: try chat.token()).status == 403)
                let unknown = try await chat.call("POST", "/v1/channels", json: #"{"kind":"fax","credentials":{}}"#, credential: key)
                #expect(unknown.status == 400 && unknown.body.contains("kind: expected one of"))
                let missing = try await chat.call(
                    "POST", "/v1/channels", json: #"{"kind":"whatsapp","credentials":{"verify_token":"v"}}"#, credential: key)
                #expect(missing.status == 400 && missing.body.contains("credentials.app_secret: missing"))
                let badSecret = try await chat.call(
                    "POST", "/v1/channels", json: #"{"kind":"telegram","credentials":{"bot_token":"1:x","secret_token":"has space"}}"#,
                    credential: key
                )
                #expect(badSecret.status == 400)
                #expect(try await chat.call("POST", "/v1/channels", json: #"{"kind": "#, credential: key).status == 400)
                // Another tenant's key sees none of this tenant's connections.
                let made = try await chat.call(
                    "POST", "/v1/channels", json: #"{"kind":"telegram","name":"main","credentials":{"bot_token":"1:x"}}"#, credential: key
                )
                #expect(made.status == 201)
                #expect(!made.body.contains("1:x"), "credentials never come back")
                #expect(
                    try await chat.call(
                        "POST", "/v1/channels", json: #"{"kind":"telegram","name":"main","credentials":{"bot_token":"1:x"}}"#, credential: key
                    ).status == 409)
                let rival = try await TenantStore(pool: chat.database.app).createTenant(name: "Rival")
                #expect(try await chat.call("GET", "/v1/channels", credential: rival.apiKey).body == #"{"channels":[]}"#)
            }
        }
    }

    @Test func linkCodesNeedACredentialAndWorkOnlyInTheirTenant() async throws {
        try await ChatHarness.with { chat in
            #expect(try await chat.call("POST", "/v1/link-codes", credential: nil).status == 401)
            let code = try await chat.linkCode()
            let rival = try await TenantStore(pool: chat.database.app).createTenant(name: "Rival").tenantID
            let codes = LinkCodes(redis: chat.redis)
            #expect(try await codes.redeem(code, tenant: rival) == nil)
            #expect(try await codes.redeem("not-a-code", tenant: chat.tenant.tenantID) == nil)
            #expect(try await codes.redeem(code.lowercased(), tenant: chat.tenant.tenantID) != nil)
            #expect(try await codes.redeem(code, tenant: chat.tenant.tenantID) == nil, "a code works once")
        }
    }

    @Test func anOverlongBrandFieldAndFeedbackOnAnotherTenantsAnswerAreRefused() async throws {
        try await ChatHarness.with { chat in
            let token = try chat.token()
            let long = String(repeating: "x", count: BrandProfile.fieldLimit + 1)
            let brand = try await chat.call(
                "PUT", "/v1/brand", json: #"{"name":"A","voice":"\#(long)","audience":"","industry":"","notes":""}"#, credential: token)
            #expect(brand.status == 400 && brand.body.contains("voice has 2001 characters"))
            #expect(try await chat.call("PUT", "/v1/brand", json: #"{"name": 5}"#, credential: token).status == 400)
            #expect(try await chat.call("PUT", "/v1/brand", json: "{}", credential: nil).status == 401)

            let conversation = try await chat.newConversation(credential: token)
            let question = try await chat.send("hello", to: conversation, credential: token)
            let events = try await chat.events(of: conversation, credential: token, lastEventID: "0-0") {
                $0.contains { $0.event == "message.completed" }
            }
            let answer = try #require(ChatHarness.field("message_id", in: events.last!.data))
            let rival = try await TenantStore(pool: chat.database.app).createTenant(name: "Rival")
            let stranger = try chat.token("alice", tenant: rival.tenantID)
            #expect(try await chat.call("POST", "/v1/messages/\(answer)/feedback", json: #"{"rating":"up"}"#, credential: stranger).status == 404)
            #expect(try await chat.call("POST", "/v1/messages/\(question)/feedback", json: #"{"rating":"up"}"#, credential: token).status == 404)
            #expect(try await chat.call("POST", "/v1/messages/\(answer)/feedback", json: #"{"rating":"up"}"#, credential: nil).status == 401)
        }
    }
}
