import LeopostCore
import Testing

/// The text the assistant reads of a reply: what the person wrote, without what their client
/// quoted under it or their signature, as Gmail, Apple Mail and Outlook lay it out.
@Suite("Mail reply text")
struct MailReplyTextTests {
    @Test func gmailsQuoteAndSignatureAreCut() {
        let text = """
            Please make it shorter, and mention the tulips.

            Thanks!
            --\u{20}
            Anna Müller | Blumenladen

            On Mon, Dec 7, 2026 at 9:00 AM Assistant <assistant@shop.example> wrote:
            > Spring is here: our tulips are back.
            """
        #expect(MailReplyText.newText(of: text) == "Please make it shorter, and mention the tulips.\n\nThanks!")
    }

    @Test func aFoldedAttributionIsFoundOnItsSecondLine() {
        let text = """
            Yes, publish it.

            On Mon, 7 Dec 2026 at 09:00, Assistant <assistant@shop.example>
            wrote:

            > Draft for linkedin: ...
            """
        #expect(MailReplyText.newText(of: text) == "Yes, publish it.")
    }

    @Test func appleMailAndGermanAttributionsAreCut() {
        #expect(MailReplyText.newText(of: "Looks good.\n\nOn 7 Dec 2026, at 09:00, Assistant wrote:\n\n> Draft") == "Looks good.")
        #expect(MailReplyText.newText(of: "Passt so.\n\nAm 07.12.2026 um 09:00 schrieb Assistant:\n> Entwurf") == "Passt so.")
    }

    @Test func outlooksHeaderBlockIsCut() {
        let text = """
            Can we post it on Friday instead?

            ________________________________
            From: Assistant <assistant@shop.example>
            Sent: Monday, December 7, 2026 9:00 AM
            To: Anna
            Subject: Draft
            """
        #expect(MailReplyText.newText(of: text) == "Can we post it on Friday instead?")
        #expect(MailReplyText.newText(of: "Fine.\r\n\r\n-----Original Message-----\r\nFrom: x") == "Fine.")
    }

    @Test func aMailThatIsAllQuoteKeepsItsText() {
        let text = "> forwarded as it came\n> second line"
        #expect(MailReplyText.newText(of: text) == text)
    }

    @Test func aLineThatMerelyMentionsWritingIsKept() {
        let text = "I wrote: more tulips please.\nOn second thought, roses."
        #expect(MailReplyText.newText(of: text) == text)
    }
}
