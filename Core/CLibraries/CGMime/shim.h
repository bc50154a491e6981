// CGMime: GMime 3 (Debian's libgmime-3.0-dev), the MIME parser. Only Core/Mail calls into it.
// GObject's type checks and casts are macros, which Swift cannot call: each is a function here.
#ifndef CGMIME_SHIM_H
#define CGMIME_SHIM_H
#include <gmime/gmime.h>

/// Whether `object` is a multipart (its children are parts).
static inline gboolean cgmime_is_multipart(GMimeObject *object) { return GMIME_IS_MULTIPART(object); }
/// Whether `object` is a leaf part with content (text, an attachment, an image).
static inline gboolean cgmime_is_part(GMimeObject *object) { return GMIME_IS_PART(object); }
/// Whether `object` is a message attached to a message (message/rfc822).
static inline gboolean cgmime_is_message_part(GMimeObject *object) { return GMIME_IS_MESSAGE_PART(object); }
/// `object` as a multipart; only after `cgmime_is_multipart`.
static inline GMimeMultipart *cgmime_as_multipart(GMimeObject *object) { return GMIME_MULTIPART(object); }
/// `object` as a part; only after `cgmime_is_part`.
static inline GMimePart *cgmime_as_part(GMimeObject *object) { return GMIME_PART(object); }
/// A message's top-level object as a plain object pointer.
static inline GMimeObject *cgmime_message_object(GMimeMessage *message) { return GMIME_OBJECT(message); }
/// Whether `object` is a text part (its text can be read converted to UTF-8).
static inline gboolean cgmime_is_text_part(GMimeObject *object) { return GMIME_IS_TEXT_PART(object); }
/// `object` as a text part; only after `cgmime_is_text_part`.
static inline GMimeTextPart *cgmime_as_text_part(GMimeObject *object) { return GMIME_TEXT_PART(object); }
/// Whether an address is one mailbox (not a group).
static inline gboolean cgmime_is_mailbox(InternetAddress *address) { return INTERNET_ADDRESS_IS_MAILBOX(address); }
/// `address` as a mailbox; only after `cgmime_is_mailbox`.
static inline InternetAddressMailbox *cgmime_as_mailbox(InternetAddress *address) { return INTERNET_ADDRESS_MAILBOX(address); }
/// The bytes a memory stream holds (its GByteArray, owned by the stream).
static inline GByteArray *cgmime_stream_bytes(GMimeStream *stream) { return g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream)); }
/// Drops a reference to any GObject (parser, stream, message).
static inline void cgmime_unref(void *object) { if (object) g_object_unref(object); }
/// Frees a string GLib allocated.
static inline void cgmime_free(void *pointer) { g_free(pointer); }
/// A stream as the generic type the parser takes.
static inline GMimeStream *cgmime_stream(GMimeStream *stream) { return stream; }
#endif
