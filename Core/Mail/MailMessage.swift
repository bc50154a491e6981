public import Foundation

/// One mail as the email channel reads it: the headers threading and loop protection need, decoded
/// (RFC 2047 words, charsets to UTF-8), the text a person wrote, and what was attached.
public struct MailMessage: Sendable, Equatable {
    /// `Message-ID`, without the angle brackets; `nil` when the mail has none.
    public var messageID: String?
    /// `In-Reply-To`: the mail this one answers.
    public var inReplyTo: String?
    /// `References`, oldest first: the thread this mail belongs to.
    public var references: [String]
    /// The first `From` mailbox.
    public var from: MailAddress?
    /// The `To` mailboxes.
    public var to: [MailAddress]
    /// The subject, decoded; empty when there is none.
    public var subject: String
    /// `Date`, when it parses.
    public var date: Date?
    /// The plain-text body: the `text/plain` part, else the HTML part's text.
    public var text: String
    /// The `text/html` body, if the mail has one.
    public var html: String?
    /// Every header, in order, names as written and values unfolded and decoded.
    public var headers: [MailHeader]
    /// Attachments and inline images, decoded from their transfer encoding.
    public var attachments: [MailAttachment]

    /// The value of the first header named `name` (case-insensitive), if any.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// A mailbox: a display name, if any, and an address.
public struct MailAddress: Sendable, Equatable {
    /// The display name, decoded.
    public var name: String?
    /// `local@domain`.
    public var address: String

    /// Creates an address.
    public init(name: String?, address: String) {
        self.name = name
        self.address = address
    }
}

/// One header of a mail.
public struct MailHeader: Sendable, Equatable {
    /// Its name as written.
    public var name: String
    /// Its value, unfolded and decoded.
    public var value: String
}

/// A part of a mail that is not its body text: an attachment, or an image the HTML shows inline.
public struct MailAttachment: Sendable, Equatable {
    /// The file name it was sent with, decoded (RFC 2231 or 2047), if any.
    public var filename: String?
    /// `image/png`, `application/pdf`, ...
    public var contentType: String
    /// `Content-ID` without brackets: what an HTML part's `cid:` refers to.
    public var contentID: String?
    /// True when it is to be shown in the text (`Content-Disposition: inline`, or referenced by `cid:`).
    public var inline: Bool
    /// The content, decoded from base64 or quoted-printable.
    public var bytes: [UInt8]
}
