import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A local stand-in for Anthropic's Messages API, speaking its documented stream: `message_start`
/// (input usage), `content_block_*`, `ping`, `message_delta` (cumulative output usage, stop reason),
/// `message_stop`, and `error` events; error bodies `{"type":"error","error":{"type","message"}}`.
enum FakeAnthropic {
    static func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/v1/messages") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let json = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] ?? [:]
            guard request.headers[HTTPField.Name("x-api-key")!] == "sk-ant-test" else {
                return error(401, type: "authentication_error", message: "invalid x-api-key")
            }
            if json["model"] as? String == "tools" { return toolTurn(json) }
            guard request.headers[HTTPField.Name("anthropic-version")!] == "2023-06-01", json["stream"] as? Bool == true,
                json["system"] as? String == "Brand: Acme", (json["messages"] as? [[String: Any]])?.count == 1
            else {
                return error(400, type: "invalid_request_error", message: "unexpected request shape")
            }
            switch json["model"] as? String ?? "" {
            case "overloaded": return error(529, type: "overloaded_error", message: "Overloaded")
            case "ratelimit":
                var response = error(429, type: "rate_limit_error", message: "Number of request tokens has exceeded your per-minute rate limit")
                response.headers[.retryAfter] = "12"
                return response
            case "overloaded-midstream":
                return stream([
                    start(input: 25), delta("Hel"), delta("lo"),
                    event("error", #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#),
                ])
            case "cut":
                return stream([start(input: 25), delta("Hel"), delta("lo")])
            default:
                return stream([
                    start(input: 25),
                    event("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
                    event("ping", #"{"type": "ping"}"#), delta("Hello"), delta(", world"),
                    event(
                        "message_delta", #"{"type":"message_delta","delta":{"stop_reason":null,"stop_sequence":null},"usage":{"output_tokens":2}}"#),
                    event("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
                    event(
                        "message_delta",
                        #"{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}"#),
                    event("message_stop", #"{"type":"message_stop"}"#),
                ])
            }
        }
        return router
    }

    /// `model: tools`: text, then a `tool_use` block whose input streams as `input_json_delta`
    /// pieces and `stop_reason: tool_use`; given the `tool_result`, a text answer. Tools without
    /// `input_schema`, or a result that does not answer the `tool_use` id in a user turn, get a 400.
    static func toolTurn(_ json: [String: Any]) -> Response {
        guard let tool = (json["tools"] as? [[String: Any]])?.first, tool["input_schema"] is [String: Any], tool["name"] is String else {
            return error(400, type: "invalid_request_error", message: "tools.0.input_schema: Field required")
        }
        let messages = json["messages"] as? [[String: Any]] ?? []
        if messages.count > 1 {
            let used = (messages[messages.count - 2]["content"] as? [[String: Any]])?.first { $0["type"] as? String == "tool_use" }
            let result = (messages.last?["content"] as? [[String: Any]])?.first
            guard messages.last?["role"] as? String == "user", result?["type"] as? String == "tool_result",
                result?["tool_use_id"] as? String == "toolu_01T1x1fJ34qAmk2tNTrN7Up6", used?["id"] as? String == "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
                used?["input"] is [String: Any]
            else {
                return error(400, type: "invalid_request_error", message: "tool_result must follow its tool_use")
            }
            return stream([start(input: 40), delta("Drafted: see the preview."), event("message_stop", #"{"type":"message_stop"}"#)])
        }
        return stream([
            start(input: 40),
            event("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
            delta("Drafting it."),
            event("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
            event(
                "content_block_start",
                #"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"draft_post","input":{}}}"#
            ),
            event("content_block_delta", #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}"#),
            event(
                "content_block_delta",
                #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"text\": \"Spring"}}"#),
            event(
                "content_block_delta",
                #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" sale!\", \"platforms\": [\"mastodon\"]}"}}"#
            ),
            event("content_block_stop", #"{"type":"content_block_stop","index":1}"#),
            event("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}"#),
            event("message_stop", #"{"type":"message_stop"}"#),
        ])
    }

    static func event(_ name: String, _ data: String) -> String { "event: \(name)\ndata: \(data)\n\n" }

    static func start(input: Int) -> String {
        event(
            "message_start",
            #"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":"#
                + "\(input)" + #","cache_read_input_tokens":5,"output_tokens":1}}}"#
        )
    }

    static func delta(_ text: String) -> String {
        event("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":""# + text + #""}}"#)
    }

    static func stream(_ events: [String]) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/event-stream"],
            body: ResponseBody { writer in
                for event in events { try await writer.write(ByteBuffer(string: event)) }
                try await writer.finish(nil)
            }
        )
    }

    static func error(_ status: Int, type: String, message: String) -> Response {
        let text = #"{"type":"error","error":{"type":""# + type + #"","message":""# + message + #""}}"#
        return Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
