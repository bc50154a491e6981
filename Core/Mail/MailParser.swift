import CGMime
import Foundation

/// Reads a raw RFC 5322 mail into a ``MailMessage`` with GMime, the MIME parser of the GNOME stack
/// (Debian's `libgmime-3.0-dev`), wrapped here once: header folding, RFC 2047 encoded words, RFC
/// 2231 parameters, multipart/alternative, mixed and related, quoted-printable and base64, and
/// charsets to UTF-8 are GMime's, which has handled real mail for two decades; writing a MIME
/// parser of our own would repeat its bugs, not its fixes.
///
/// A value type with no state: GMime is initialised once per process (`MailParser.library`), and
/// each parse owns its parser, stream and message, released before it returns.
public struct MailParser: Sendable {
    /// The largest mail it reads; a larger one is refused before parsing.
    public var maxBytes: Int

    /// Creates a parser.
    public init(maxBytes: Int = 25 * 1024 * 1024) {
        self.maxBytes = maxBytes
    }

    /// GMime's one-time set-up; safe to reach from any thread (Swift runs a static initialiser once).
    static let library: Void = g_mime_init()

    /// Parses `bytes`.
    /// - Throws: ``MailError`` `.tooLarge` past `maxBytes`, `.malformed` when no message can be read.
    public func parse(_ bytes: [UInt8]) throws(MailError) -> MailMessage {
        guard bytes.count <= maxBytes else {
            throw MailError(code: .tooLarge, message: "the mail is \(bytes.count) bytes; at most \(maxBytes) are read")
        }
        _ = Self.library
        let stream = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { g_mime_stream_mem_new_with_buffer(UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self), buffer.count) }
                ?? g_mime_stream_mem_new()
        }
        defer { cgmime_unref(stream) }
        let parser = g_mime_parser_new_with_stream(stream)
        defer { cgmime_unref(parser) }
        guard let message = g_mime_parser_construct_message(parser, nil) else {
            throw MailError(code: .malformed, message: "no RFC 5322 message could be read from the \(bytes.count) bytes")
        }
        defer { cgmime_unref(message) }
        var mail = MailMessage(
            messageID: Self.string(g_mime_message_get_message_id(message)), inReplyTo: nil, references: [], from: nil, to: [],
            subject: Self.string(g_mime_message_get_subject(message)) ?? "", date: nil, text: "", html: nil, headers: [], attachments: [])
        if let object = cgmime_message_object(message) { mail.headers = Self.headers(of: object) }
        mail.inReplyTo = mail.header("In-Reply-To").flatMap { Self.messageIDs(in: $0).first }
        mail.references = mail.header("References").map(Self.messageIDs(in:)) ?? []
        mail.from = Self.mailboxes(g_mime_message_get_from(message)).first
        mail.to = Self.mailboxes(g_mime_message_get_to(message))
        if let date = g_mime_message_get_date(message) {
            mail.date = Date(timeIntervalSince1970: TimeInterval(g_date_time_to_unix(date)))
        }
        var body = Body()
        if let top = g_mime_message_get_mime_part(message) { Self.walk(top, into: &body) }
        mail.html = body.html
        mail.text = body.plain ?? body.html.map(MailText.plainText(fromHTML:)) ?? ""
        mail.attachments = body.attachments
        return mail
    }

    /// What the walk over the parts collects.
    private struct Body {
        var plain: String?
        var html: String?
        var attachments: [MailAttachment] = []
    }

    /// Visits a part and its children: the first `text/plain` and `text/html` that are not
    /// attachments are the body; every other leaf is an attachment.
    private static func walk(_ object: UnsafeMutablePointer<GMimeObject>, into body: inout Body) {
        if cgmime_is_multipart(object) != 0, let multipart = cgmime_as_multipart(object) {
            for index in 0..<max(0, g_mime_multipart_get_count(multipart)) {
                if let child = g_mime_multipart_get_part(multipart, index) { walk(child, into: &body) }
            }
            return
        }
        guard cgmime_is_part(object) != 0, let part = cgmime_as_part(object) else { return }
        let type = mimeType(of: object)
        let disposition = string(g_mime_object_get_disposition(object))?.lowercased()
        let filename = string(g_mime_part_get_filename(part))
        let isAttachment = disposition == "attachment" || filename != nil
        if !isAttachment, cgmime_is_text_part(object) != 0, let textPart = cgmime_as_text_part(object), type == "text/plain" || type == "text/html" {
            let text = g_mime_text_part_get_text(textPart).map { pointer in
                defer { cgmime_free(pointer) }
                return String(cString: pointer)
            }
            if type == "text/plain", body.plain == nil { body.plain = text ?? "" }
            if type == "text/html", body.html == nil { body.html = text ?? "" }
            return
        }
        body.attachments.append(
            MailAttachment(
                filename: filename, contentType: type, contentID: string(g_mime_part_get_content_id(part)),
                inline: disposition == "inline" || (disposition == nil && g_mime_part_get_content_id(part) != nil), bytes: content(of: part)))
    }

    /// A part's content, decoded from its transfer encoding.
    private static func content(of part: UnsafeMutablePointer<GMimePart>) -> [UInt8] {
        guard let wrapper = g_mime_part_get_content(part) else { return [] }
        let sink = g_mime_stream_mem_new()
        defer { cgmime_unref(sink) }
        guard g_mime_data_wrapper_write_to_stream(wrapper, sink) >= 0, let array = cgmime_stream_bytes(sink), let data = array.pointee.data else {
            return []
        }
        return Array(UnsafeBufferPointer(start: data, count: Int(array.pointee.len)))
    }

    private static func mimeType(of object: UnsafeMutablePointer<GMimeObject>) -> String {
        guard let type = g_mime_object_get_content_type(object), let text = g_mime_content_type_get_mime_type(type) else {
            return "application/octet-stream"
        }
        defer { cgmime_free(text) }
        return String(cString: text).lowercased()
    }

    private static func headers(of object: UnsafeMutablePointer<GMimeObject>) -> [MailHeader] {
        guard let list = g_mime_object_get_header_list(object) else { return [] }
        return (0..<max(0, g_mime_header_list_get_count(list))).compactMap { index in
            guard let header = g_mime_header_list_get_header_at(list, index), let name = string(g_mime_header_get_name(header)) else {
                return nil
            }
            return MailHeader(name: name, value: string(g_mime_header_get_value(header)) ?? "")
        }
    }

    private static func mailboxes(_ list: UnsafeMutablePointer<InternetAddressList>?) -> [MailAddress] {
        guard let list else { return [] }
        return (0..<max(0, internet_address_list_length(list))).compactMap { index in
            guard let address = internet_address_list_get_address(list, index), cgmime_is_mailbox(address) != 0,
                let box = cgmime_as_mailbox(address), let mailbox = string(internet_address_mailbox_get_addr(box))
            else { return nil }
            let name = string(internet_address_get_name(address)).flatMap { $0.isEmpty ? nil : $0 }
            return MailAddress(name: name, address: mailbox)
        }
    }

    /// The message ids in a header such as `References`, without brackets, in order.
    static func messageIDs(in value: String) -> [String] {
        guard let references = value.withCString({ g_mime_references_parse(nil, $0) }) else { return [] }
        defer { g_mime_references_free(references) }
        return (0..<max(0, g_mime_references_length(references))).compactMap { string(g_mime_references_get_message_id(references, $0)) }
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
