import Testing

@testable import LeopostCore

@Suite("HTTPResponseHeadParser")
struct HTTPResponseHeadParserTests {
    /// Feeds lines as curl's header callback would; returns the final head, if one completed.
    private func parse(_ lines: [String], followRedirects: Bool = false) -> HTTPResponseHeadParser.Head? {
        var parser = HTTPResponseHeadParser(followRedirects: followRedirects)
        var final: HTTPResponseHeadParser.Head?
        for line in lines {
            if let head = parser.feed(line: Array((line + "\r\n").utf8)) { final = head }
        }
        return final
    }

    @Test func skipsInterimContinueBlock() {
        let head = parse(["HTTP/1.1 100 Continue", "", "HTTP/1.1 201 Created", "Location: /x", ""])
        #expect(head?.status == 201)
        #expect(head?.headers == ["Location": "/x"])
    }

    @Test func readsHTTP2StatusLine() {
        let head = parse(["HTTP/2 200 ", "content-type: text/event-stream", ""])
        #expect(head?.status == 200)
        #expect(head?.headers.first(name: "Content-Type") == "text/event-stream")
    }

    @Test func skipsFollowedRedirectBlocksOnly() {
        let lines = ["HTTP/1.1 302 Found", "Location: /next", "Set-Cookie: a=1", "", "HTTP/1.1 200 OK", "Content-Length: 2", ""]
        #expect(parse(lines, followRedirects: true)?.status == 200)
        #expect(parse(lines, followRedirects: true)?.headers.contains(name: "set-cookie") == false)
        #expect(parse(lines, followRedirects: false)?.status == 302)
    }

    @Test func keepsRepeatedFieldsInOrderAndTrimsValues() {
        let head = parse(["HTTP/1.0 404 Not Found", "Set-Cookie:  a=1 ", "set-cookie: b=2", "X-Empty:", ""])
        #expect(head?.status == 404)
        #expect(head?.headers.values(name: "SET-COOKIE") == ["a=1", "b=2"])
        #expect(head?.headers.first(name: "x-empty") == "")
    }

    @Test func joinsFoldedLinesAndIgnoresTrailers() {
        var parser = HTTPResponseHeadParser(followRedirects: false)
        for line in ["HTTP/1.1 200 OK", "X-Long: part one", "\tpart two", ""] {
            _ = parser.feed(line: Array((line + "\r\n").utf8))
        }
        #expect(parser.feed(line: Array("X-Trailer: late\r\n".utf8)) == nil)
        #expect(parser.finalHead?.headers.first(name: "x-long") == "part one part two")
        #expect(parser.finalHead?.headers.contains(name: "x-trailer") == false)
    }

    @Test func incompleteBlockIsNotFinal() {
        #expect(parse(["HTTP/1.1 200 OK", "A: b"]) == nil)
    }
}
