import LeopostCore
import Testing

@Suite("ServerSentEventParser")
struct ServerSentEventParserTests {
    func parse(_ chunks: [String]) throws -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        return try chunks.flatMap { try parser.feed(Array($0.utf8)) }
    }

    @Test func parsesEventsDataAndIds() throws {
        let events = try parse(["event: message_start\ndata: {\"a\":1}\nid: 7\n\n", "data: plain\n\n"])
        #expect(events == [ServerSentEvent(event: "message_start", data: "{\"a\":1}", id: "7"), ServerSentEvent(data: "plain", id: "7")])
    }

    @Test func eventsSplitAnywhereParseTheSame() throws {
        let text = "event: delta\r\ndata: héllo\r\ndata: wörld\r\n\r\n: comment\n\ndata:x\r\rdata: [DONE]\n\n"
        let whole = try parse([text])
        #expect(whole == [ServerSentEvent(event: "delta", data: "héllo\nwörld"), ServerSentEvent(data: "x"), ServerSentEvent(data: "[DONE]")])
        let bytes = Array(text.utf8)
        for split in 1..<bytes.count {
            var parser = ServerSentEventParser()
            let events = try parser.feed(bytes[..<split]) + parser.feed(bytes[split...])
            #expect(events == whole, "split at \(split)")
        }
    }

    @Test func commentsAndEventsWithoutDataYieldNothing() throws {
        #expect(try parse([": ping\n\n", "event: empty\n\n", "retry: 100\n\n"]).isEmpty)
    }

    @Test func anUnterminatedEventIsDroppedAndOverlongLinesAreRefused() throws {
        var parser = ServerSentEventParser(maxLineBytes: 16)
        #expect(try parser.feed(Array("data: half".utf8)).isEmpty)
        parser.finish()
        #expect(throws: ServerSentEventParser.LineTooLong.self) { try parser.feed(Array(String(repeating: "x", count: 40).utf8)) }
    }
}
