import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A local stand-in for `models/{model}:streamGenerateContent?alt=sse`: one `GenerateContentResponse`
/// per `data:` event (`\r\n\r\n` framing), `usageMetadata` with running totals, `finishReason` on the
/// last candidate; errors `{"error": {"code", "message", "status"}}`.
enum FakeGemini {
    static func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/v1beta/models/:call") { request, context -> Response in
            let call = context.parameters.get("call") ?? ""
            guard request.uri.queryParameters.get("alt") == "sse", call.hasSuffix(":streamGenerateContent") else {
                return error(404, status: "NOT_FOUND", message: "unknown method")
            }
            guard request.headers[HTTPField.Name("x-goog-api-key")!] == "gm-test" else {
                return error(403, status: "PERMISSION_DENIED", message: "API key not valid")
            }
            let body = try await request.body.collect(upTo: 1 << 20)
            let json = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] ?? [:]
            if call == "tools:streamGenerateContent" { return toolTurn(json) }
            guard json["systemInstruction"] != nil, (json["generationConfig"] as? [String: Any])?["maxOutputTokens"] as? Int == 64 else {
                return error(400, status: "INVALID_ARGUMENT", message: "unexpected request shape")
            }
            switch String(call.dropLast(":streamGenerateContent".count)) {
            case "exhausted": return error(429, status: "RESOURCE_EXHAUSTED", message: "Resource has been exhausted")
            case "blocked":
                return stream([#"{"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":8,"totalTokenCount":8}}"#])
            case "cut":
                return stream([chunk("Hel", finish: nil, output: 1)])
            default:
                return stream([chunk("Hello", finish: nil, output: 1), chunk(", world", finish: "STOP", output: 3)])
            }
        }
        return router
    }

    /// `models/tools`: a `functionCall` part (whole, as Gemini sends it) with a `thoughtSignature`
    /// beside it; given the `functionResponse` after the call with its signature, a text answer.
    static func toolTurn(_ json: [String: Any]) -> Response {
        let declarations = ((json["tools"] as? [[String: Any]])?.first?["functionDeclarations"] as? [[String: Any]]) ?? []
        guard declarations.first?["parameters"] is [String: Any] else {
            return error(400, status: "INVALID_ARGUMENT", message: "tools[0].function_declarations is required")
        }
        let contents = json["contents"] as? [[String: Any]] ?? []
        if contents.count > 1 {
            let call = (contents[contents.count - 2]["parts"] as? [[String: Any]])?.first
            let response = ((contents.last?["parts"] as? [[String: Any]])?.first?["functionResponse"]) as? [String: Any]
            guard contents[contents.count - 2]["role"] as? String == "model", call?["thoughtSignature"] as? String == "c2lnLTE=",
                contents.last?["role"] as? String == "user", response?["name"] as? String == "draft_post", response?["response"] is [String: Any]
            else {
                return error(400, status: "INVALID_ARGUMENT", message: "Function call is missing a thought_signature in functionCall parts.")
            }
            return stream([chunk("Drafted: see the preview.", finish: "STOP", output: 6)])
        }
        return stream([
            #"{"candidates":[{"content":{"parts":[{"functionCall":{"name":"draft_post","args":{"text":"Spring sale!","platforms":["mastodon"]}},"thoughtSignature":"c2lnLTE="}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":30,"candidatesTokenCount":12,"totalTokenCount":42},"modelVersion":"gemini-2.5-flash"}"#
        ])
    }

    static func chunk(_ text: String, finish: String?, output: Int) -> String {
        let finishField = finish.map { #","finishReason":""# + $0 + #"""# } ?? ""
        return #"{"candidates":[{"content":{"parts":[{"text":""# + text + #""}],"role":"model"}"# + finishField + #","index":0}],"#
            + #""usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":"# + "\(output)" + #","thoughtsTokenCount":4,"totalTokenCount":20},"#
            + #""modelVersion":"gemini-2.5-flash"}"#
    }

    static func stream(_ events: [String]) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/event-stream"],
            body: ResponseBody { writer in
                for event in events { try await writer.write(ByteBuffer(string: "data: " + event + "\r\n\r\n")) }
                try await writer.finish(nil)
            }
        )
    }

    static func error(_ code: Int, status: String, message: String) -> Response {
        let text = #"{"error":{"code":"# + "\(code)" + #","message":""# + message + #"","status":""# + status + #""}}"#
        return Response(status: .init(code: code), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
