import Foundation
public import Hummingbird
import LeopostCore
import NIOCore

/// A local stand-in for OpenAI's Chat Completions endpoint, speaking its documented wire format:
/// `chat.completion.chunk` events as SSE, a usage chunk with `include_usage`, `data: [DONE]`, and
/// error bodies `{"error": {"message", "type", "param", "code"}}`. The model name picks the behaviour.
public enum FakeOpenAI {
    /// The fake's routes: `POST /v1/chat/completions`, behaviour chosen by the model name; the key must be `sk-test`.
    public static func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/v1/chat/completions") { request, context -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let json = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] ?? [:]
            guard request.headers[.authorization] == "Bearer sk-test" else {
                return error(401, type: "invalid_request_error", code: "invalid_api_key", message: "Incorrect API key provided")
            }
            guard json["stream"] as? Bool == true, (json["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true else {
                return error(400, type: "invalid_request_error", code: nil, message: "expected stream with include_usage")
            }
            switch json["model"] as? String ?? "" {
            case "tools":
                return toolTurn(json)
            case "vision":
                return visionTurn(json)
            case "quota":
                return error(429, type: "insufficient_quota", code: "insufficient_quota", message: "You exceeded your current quota")
            case "ratelimit":
                var response = error(429, type: "requests", code: "rate_limit_exceeded", message: "Rate limit reached")
                response.headers[.retryAfter] = "7"
                return response
            case "context":
                return error(400, type: "invalid_request_error", code: "context_length_exceeded", message: "maximum context length is 8192 tokens")
            case "html":
                return Response(
                    status: .badGateway, headers: [.contentType: "text/html"],
                    body: .init(byteBuffer: ByteBuffer(string: "<html><body>502 Bad Gateway</body></html>")))
            case "truncated":
                return stream([chunk(content: "Hel"), chunk(content: "lo"), "data: {\"choices\": [{\"delta\": {\"cont\n\n"], done: true)
            case "dies":
                return stream([chunk(content: "Hel"), chunk(content: "lo")], done: false)
            case "bench":
                // 20 small deltas, as fast as possible: what a provider streams, minus the model's thinking.
                return stream((0..<20).map { chunk(content: "tok\($0) ") } + [chunk(finish: "stop"), usageChunk], done: true)
            case "slow-first-token":
                // Headers and the role chunk at once, then nothing for 8 s: the HTTP client's
                // first-byte limit is met, only a first-token limit can catch it (with time to
                // spare on a machine loaded by the whole test suite).
                return Response(
                    status: .ok, headers: [.contentType: "text/event-stream"],
                    body: ResponseBody { writer in
                        try await writer.write(ByteBuffer(string: chunk(role: "assistant", content: "")))
                        try await Task.sleep(for: .seconds(8))
                        try await writer.write(ByteBuffer(string: chunk(content: "late") + "data: [DONE]\n\n"))
                        try await writer.finish(nil)
                    }
                )
            case "paced":
                // 20 words, 100 ms apart, then the usage report: an answer that takes two seconds.
                return Response(
                    status: .ok, headers: [.contentType: "text/event-stream"],
                    body: ResponseBody { writer in
                        for index in 0..<20 {
                            try await writer.write(ByteBuffer(string: chunk(content: "word\(index) ")))
                            try await Task.sleep(for: .milliseconds(100))
                        }
                        try await writer.write(ByteBuffer(string: chunk(finish: "stop") + usageChunk + "data: [DONE]\n\n"))
                        try await writer.finish(nil)
                    }
                )
            case "midstream-error":
                return stream(
                    [
                        chunk(content: "Hel"),
                        "data: {\"error\": {\"message\": \"The server had an error\", \"type\": \"server_error\", \"code\": \"server_error\"}}\n\n",
                    ], done: false)
            default:
                return stream(
                    [
                        ": keep-alive comment\n\n",
                        chunk(role: "assistant", content: ""), chunk(content: "Hello"), chunk(content: ", world"),
                        chunk(finish: "stop"),
                        "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[],"
                            + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11,\"prompt_tokens_details\":{\"cached_tokens\":4},"
                            + "\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\r\n\r\n",
                    ],
                    done: true
                )
            }
        }
        return router
    }

    /// `model: vision`: a model that sees images. It reads the last user message's content parts
    /// as OpenAI documents them (`text`, and `image_url` with a base64 `data:` URL) and says what
    /// it saw: each image's type, size and SHA-256 prefix, and the text it read. An image part
    /// that is not a valid data URL is a 400, as OpenAI refuses it.
    static func visionTurn(_ json: [String: Any]) -> Response {
        let messages = json["messages"] as? [[String: Any]] ?? []
        let users = messages.filter { $0["role"] as? String == "user" }
        var seen: [String] = []
        var text = ""
        for (index, message) in users.enumerated() {
            let parts = message["content"] as? [[String: Any]] ?? [["type": "text", "text": message["content"] as? String ?? ""]]
            for part in parts {
                switch part["type"] as? String {
                case "text" where index == users.count - 1: text = part["text"] as? String ?? ""
                case "image_url":
                    let url = (part["image_url"] as? [String: Any])?["url"] as? String ?? ""
                    guard url.hasPrefix("data:"), let comma = url.firstIndex(of: ","), url[..<comma].hasSuffix(";base64"),
                        let data = Data(base64Encoded: String(url[url.index(after: comma)...]))
                    else { return error(400, type: "invalid_request_error", code: "invalid_image_url", message: "Invalid image URL") }
                    let type = url.dropFirst(5).prefix { $0 != ";" }
                    seen.append("\(type) \(data.count) bytes \(SHA256.hexDigest(Array(data)).prefix(12))")
                default: continue
                }
            }
        }
        let answer = seen.isEmpty ? "I see no image." : "I see \(seen.count) image(s): \(seen.joined(separator: ", "))."
        return stream(
            [chunk(role: "assistant", content: ""), chunk(content: answer + " You wrote: " + text), chunk(finish: "stop"), usageChunk], done: true)
    }

    /// `model: tools`: a tool-calling model. Without a tool result it calls `draft_post`, its
    /// arguments streamed in pieces as OpenAI streams them (id and name first, then `arguments`
    /// fragments, `finish_reason: tool_calls`); given the result, it answers in text. A request
    /// whose tools or tool turns are not in the documented shape gets a 400.
    static func toolTurn(_ json: [String: Any]) -> Response {
        let tools = json["tools"] as? [[String: Any]] ?? []
        guard let tool = tools.first, tool["type"] as? String == "function", (tool["function"] as? [String: Any])?["parameters"] is [String: Any]
        else {
            return error(400, type: "invalid_request_error", code: nil, message: "tools must be [{type: function, function: {...}}]")
        }
        let messages = json["messages"] as? [[String: Any]] ?? []
        if let last = messages.last, last["role"] as? String == "tool" {
            let call = (messages.dropLast().last?["tool_calls"] as? [[String: Any]])?.first
            guard last["tool_call_id"] as? String == "call_abc123", call?["id"] as? String == "call_abc123",
                (call?["function"] as? [String: Any])?["arguments"] is String, last["content"] is String
            else {
                return error(400, type: "invalid_request_error", code: nil, message: "a tool message must answer a tool_calls id")
            }
            return stream(
                [
                    chunk(role: "assistant", content: ""), chunk(content: "Drafted: "), chunk(content: "see the preview."), chunk(finish: "stop"),
                    usageChunk,
                ], done: true)
        }
        func call(_ delta: [String: Any], finish: String? = nil) -> String {
            let choice: [String: Any] = ["index": 0, "delta": delta, "logprobs": NSNull(), "finish_reason": finish.map { $0 as Any } ?? NSNull()]
            let object: [String: Any] = [
                "id": "chatcmpl-2", "object": "chat.completion.chunk", "created": 1_694_268_190, "model": "gpt-4o-mini", "choices": [choice],
            ]
            return "data: " + String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self) + "\n\n"
        }
        return stream(
            [
                call([
                    "role": "assistant", "content": NSNull(),
                    "tool_calls": [["index": 0, "id": "call_abc123", "type": "function", "function": ["name": "draft_post", "arguments": ""]]],
                ]),
                call(["tool_calls": [["index": 0, "function": ["arguments": "{\"text\": \"Spring"]]]]),
                call(["tool_calls": [["index": 0, "function": ["arguments": " sale!\", \"platforms\": [\"mastodon\"]}"]]]]),
                call([:], finish: "tool_calls"), usageChunk,
            ], done: true)
    }

    static let usageChunk =
        "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[],"
        + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":20,\"total_tokens\":29}}\n\n"

    static func chunk(role: String? = nil, content: String? = nil, finish: String? = nil) -> String {
        // Written by hand (the same JSON OpenAI sends): JSONSerialization here cost the benchmarks'
        // fake more CPU than the client it measures.
        var delta: [String] = []
        if let role { delta.append("\"role\":\(JSONCoding.quoted(role))") }
        if let content { delta.append("\"content\":\(JSONCoding.quoted(content))") }
        let finishReason = finish.map(JSONCoding.quoted) ?? "null"
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,\"model\":\"gpt-4o-mini\","
            + "\"system_fingerprint\":\"fp_44709d6fcb\",\"choices\":[{\"index\":0,\"delta\":{\(delta.joined(separator: ","))},"
            + "\"logprobs\":null,\"finish_reason\":\(finishReason)}]}\n\n"
    }

    static func stream(_ events: [String], done: Bool) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/event-stream"],
            body: ResponseBody { writer in
                for event in events {
                    // Split each event in two writes, so the client sees events cut mid-line.
                    let bytes = Array(event.utf8)
                    let half = bytes.count / 2
                    try await writer.write(ByteBuffer(bytes: bytes[..<half]))
                    try await writer.write(ByteBuffer(bytes: bytes[half...]))
                }
                if done { try await writer.write(ByteBuffer(string: "data: [DONE]\n\n")) }
                try await writer.finish(nil)
            }
        )
    }

    static func error(_ status: Int, type: String, code: String?, message: String) -> Response {
        let object: [String: Any] = ["error": ["message": message, "type": type, "param": NSNull(), "code": code.map { $0 as Any } ?? NSNull()]]
        let data = try! JSONSerialization.data(withJSONObject: object)
        return Response(
            status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
