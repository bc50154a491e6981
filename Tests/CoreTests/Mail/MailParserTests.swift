import Foundation
import LeopostCore
import Testing

/// Mails in the shapes real clients send, read through GMime: threading headers, encoded words,
/// charsets, quoted-printable and base64, alternative, mixed and related parts.
@Suite("Mail parser")
struct MailParserTests {
    static func mail(_ lines: [String]) -> [UInt8] { Array(lines.joined(separator: "\r\n").utf8) }

    @Test func aGmailStyleReplyKeepsItsThreadAndItsDecodedSubjectAndText() throws {
        let raw = Self.mail([
            "Return-Path: <anna@example.com>",
            "Message-ID: <CAF=abc123@mail.gmail.com>",
            "In-Reply-To: <leopost-1@assistant.example>",
            "References: <leopost-0@assistant.example>",
            "\t<leopost-1@assistant.example>",
            "From: =?UTF-8?B?QW5uYSBNw7xsbGVy?= <anna@example.com>",
            "To: Assistant <assistant+t0k3n@shop.example>",
            "Subject: =?UTF-8?Q?Re:_Fr=C3=BChlingsaktion?= for",
            " the tulips",
            "Date: Mon, 07 Dec 2026 09:30:00 +0100",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"b1\"",
            "",
            "--b1",
            "Content-Type: text/plain; charset=\"UTF-8\"",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            "Gr=C3=BC=C3=9Fe, please make it shorter.",
            "",
            "On Mon, Dec 7, 2026 at 9:00 AM Assistant wrote:",
            "> Spring is here",
            "--b1",
            "Content-Type: text/html; charset=\"UTF-8\"",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            "<div dir=3D\"ltr\">Gr=C3=BC=C3=9Fe</div>",
            "--b1--",
            "",
        ])
        let mail = try MailParser().parse(raw)
        #expect(mail.messageID == "CAF=abc123@mail.gmail.com")
        #expect(mail.inReplyTo == "leopost-1@assistant.example")
        #expect(mail.references == ["leopost-0@assistant.example", "leopost-1@assistant.example"])
        #expect(mail.from == MailAddress(name: "Anna Müller", address: "anna@example.com"))
        #expect(mail.to == [MailAddress(name: "Assistant", address: "assistant+t0k3n@shop.example")])
        #expect(mail.subject == "Re: Frühlingsaktion for the tulips")
        #expect(mail.date == Date(timeIntervalSince1970: 1_796_632_200))
        #expect(mail.text.hasPrefix("Grüße, please make it shorter."))
        #expect(mail.text.contains("> Spring is here"), "the full text is kept; quotes are stripped later")
        #expect(mail.html?.contains("Grüße") == true)
        #expect(mail.header("return-path") == "<anna@example.com>")
        #expect(mail.attachments.isEmpty)
    }

    @Test func aLatinOneQuotedPrintableMailBecomesUTF8() throws {
        let raw = Self.mail([
            "From: jose@example.es", "To: assistant@shop.example", "Subject: =?ISO-8859-1?Q?Caf=E9?=", "Message-ID: <1@example.es>",
            "Content-Type: text/plain; charset=ISO-8859-1", "Content-Transfer-Encoding: quoted-printable", "", "Un caf=E9 con le=F1a.", "",
        ])
        let mail = try MailParser().parse(raw)
        #expect(mail.subject == "Café")
        #expect(mail.text.trimmingCharacters(in: .whitespacesAndNewlines) == "Un café con leña.")
        #expect(mail.from == MailAddress(name: nil, address: "jose@example.es"))
    }

    @Test func attachmentsAndInlineImagesAreDecodedWithTheirNames() throws {
        let pdf = Array("%PDF-1.4 tiny".utf8)
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let raw = Self.mail([
            "From: Apple Mail <me@example.com>", "To: assistant@shop.example", "Subject: files", "Message-ID: <2@example.com>",
            "MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=outer", "",
            "--outer",
            "Content-Type: multipart/related; boundary=inner", "",
            "--inner",
            "Content-Type: text/html; charset=utf-8", "",
            "<p>See <img src=\"cid:logo@x\"> &amp; the CV</p>",
            "--inner",
            "Content-Type: image/png", "Content-Transfer-Encoding: base64", "Content-ID: <logo@x>", "",
            Data(png).base64EncodedString(),
            "--inner--",
            "--outer",
            "Content-Type: application/pdf", "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf", "",
            Data(pdf).base64EncodedString(),
            "--outer--", "",
        ])
        let mail = try MailParser().parse(raw)
        #expect(mail.text == "See & the CV", "an HTML-only mail is read as text")
        #expect(mail.attachments.count == 2)
        let logo = try #require(mail.attachments.first { $0.contentType == "image/png" })
        #expect(logo.contentID == "logo@x" && logo.inline && logo.bytes == png)
        let cv = try #require(mail.attachments.first { $0.contentType == "application/pdf" })
        #expect(cv.filename == "résumé.pdf" && !cv.inline && cv.bytes == pdf)
    }

    @Test func aMailLargerThanTheLimitIsRefusedBeforeParsing() {
        #expect(throws: MailError(code: .tooLarge, message: "")) {
            try MailParser(maxBytes: 1024).parse(Array(repeating: UInt8(ascii: "a"), count: 2048))
        }
    }

    @Test func aMailWithoutMessageIDOrHeadersStillReadsItsText() throws {
        let mail = try MailParser().parse(Self.mail(["Subject: hello", "", "just text", ""]))
        #expect(mail.messageID == nil)
        #expect(mail.subject == "hello")
        #expect(mail.text.contains("just text"))
    }
}
