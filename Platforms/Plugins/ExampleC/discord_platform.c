/*
 * discord_platform.c — Leopost's plain-C platform plugin: posts to a Discord channel through the
 * channel's webhook (Channel settings > Integrations > Webhooks > Copy Webhook URL).
 *
 * It is also the example of a plugin written without the Swift kit: C99, libc and
 * leopost_platform.h only. Build it with
 *
 *     cc -std=c99 -Wall -Wextra -shared -fPIC -I Platforms/include \
 *        -o libLeopostPlatformDiscord.so Platforms/Plugins/ExampleC/discord_platform.c
 *
 * The account's base_url is the webhook URL, https://discord.com/api/webhooks/{id}/{token}. The
 * token in it is the whole credential, so the account needs no access token.
 *
 *   publish       POST {webhook}?wait=true  {"content": text}  -> 200, the message object
 *   check_status  GET  {webhook}/messages/{remote_id}          -> 200 published, 404 not found
 *
 * The URL Discord hands out names no API version, and an unversioned call gets Discord's old
 * default version, whose 429 answers count in milliseconds where v10 counts in seconds. The plugin
 * therefore calls /api/v10/webhooks/... (same host, so the host still allows it): the units below
 * are v10's.
 *
 * Nothing here is mutable outside a call's own stack and heap, so calls may run on any number of
 * threads at once.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leopost_platform.h"

#define DISCORD_RETRY_DEFAULT 60u   /* a 429 or 503 without a usable delay */
#define DISCORD_RETRY_NOT_SENT 30u  /* nothing reached Discord: a short pause is enough */
#define DISCORD_RETRY_MAX 86400u    /* never park a post for more than a day on one answer */
#define DISCORD_SNIPPET 300         /* bytes of an error body quoted in a message */
#define JSON_MAX_DEPTH 64           /* deeper documents are refused rather than overflow the stack */

/* An account without its webhook URL cannot post until a person fixes it: hence LP_DISCONNECTED. */
#define NO_WEBHOOK_URL \
    "the Discord account has no webhook URL; connect it again with the channel's webhook URL as its base_url"

/* ------------------------------------------------------------------------------------------- */
/* A growing byte buffer. An allocation failure is remembered and turns the result into NULL,    */
/* so callers can append freely and check once.                                                   */

typedef struct buffer {
    char *data;
    size_t length;
    size_t capacity;
    int failed;
} buffer;

static void buf_append(buffer *b, const char *bytes, size_t count) {
    if (b->failed) return;
    if (b->length + count + 1 > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 64;
        while (capacity < b->length + count + 1) {
            if (capacity > SIZE_MAX / 2) { b->failed = 1; return; }
            capacity *= 2;
        }
        char *grown = (char *)realloc(b->data, capacity);
        if (grown == NULL) { b->failed = 1; return; }
        b->data = grown;
        b->capacity = capacity;
    }
    memcpy(b->data + b->length, bytes, count);
    b->length += count;
    b->data[b->length] = '\0';
}

static void buf_text(buffer *b, const char *text) { buf_append(b, text, strlen(text)); }

/* The NUL-terminated contents (the caller frees them), or NULL after a failed allocation. */
static char *buf_take(buffer *b) {
    if (b->failed || b->data == NULL) {
        free(b->data);
        b->data = NULL;
        return NULL;
    }
    char *data = b->data;
    b->data = NULL;
    return data;
}

/* Length of the valid UTF-8 sequence at p (1-4), or 0 when it is not valid UTF-8. */
static size_t utf8_sequence(const unsigned char *p, size_t available) {
    unsigned char c = p[0];
    size_t length;
    uint32_t cp;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) { length = 2; cp = c & 0x1Fu; }
    else if (c >= 0xE0 && c <= 0xEF) { length = 3; cp = c & 0x0Fu; }
    else if (c >= 0xF0 && c <= 0xF4) { length = 4; cp = c & 0x07u; }
    else return 0;
    if (available < length) return 0;
    for (size_t i = 1; i < length; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    /* Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8. */
    if ((length == 3 && cp < 0x800) || (length == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
    return length;
}

/*
 * Appends `count` bytes as a JSON string literal. Control characters (NUL included) are escaped;
 * bytes that are not UTF-8 become U+FFFD, so an odd error page from a proxy can never make the
 * result JSON unreadable for the host.
 */
static void buf_json_string(buffer *b, const char *text, size_t count) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)text;
    buf_append(b, "\"", 1);
    size_t i = 0;
    while (i < count) {
        unsigned char c = p[i];
        if (c == '"' || c == '\\') {
            char escaped[2] = {'\\', (char)c};
            buf_append(b, escaped, 2);
            i++;
        } else if (c < 0x20) {
            switch (c) {
            case '\n': buf_append(b, "\\n", 2); break;
            case '\r': buf_append(b, "\\r", 2); break;
            case '\t': buf_append(b, "\\t", 2); break;
            case '\b': buf_append(b, "\\b", 2); break;
            case '\f': buf_append(b, "\\f", 2); break;
            default: {
                char escaped[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0x0F]};
                buf_append(b, escaped, 6);
            }
            }
            i++;
        } else {
            size_t length = utf8_sequence(p + i, count - i);
            if (length == 0) {
                buf_append(b, "\\ufffd", 6);
                i++;
            } else {
                buf_append(b, text + i, length);
                i += length;
            }
        }
    }
    buf_append(b, "\"", 1);
}

/* ------------------------------------------------------------------------------------------- */
/* A small JSON reader (RFC 8259): enough to validate a document, find a member of the top-level  */
/* object, and read a string or a number. Every function takes an explicit end, so bodies with  */
/* NULs in them are read safely.                                                                   */

static const char *json_ws(const char *p, const char *end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
    return p;
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The four hex digits of a \uXXXX escape at p (just after the 'u'), or -1. */
static long json_hex4(const char *p, const char *end) {
    if (end - p < 4) return -1;
    long value = 0;
    for (int i = 0; i < 4; i++) {
        int digit = hex_digit(p[i]);
        if (digit < 0) return -1;
        value = value * 16 + digit;
    }
    return value;
}

/* p is at the opening quote; returns the position after the closing quote, or NULL. */
static const char *json_skip_string(const char *p, const char *end) {
    p++;
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        if (c == '"') return p + 1;
        if (c < 0x20) return NULL; /* raw control characters are not allowed in strings */
        if (c == '\\') {
            if (end - p < 2) return NULL;
            switch (p[1]) {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
                p += 2;
                break;
            case 'u':
                if (json_hex4(p + 2, end) < 0) return NULL;
                p += 6;
                break;
            default:
                return NULL;
            }
        } else {
            p++;
        }
    }
    return NULL;
}

/* Reads a number at p into *out (when out is not NULL); returns the position after it, or NULL. */
static const char *json_number(const char *p, const char *end, double *out) {
    int negative = 0;
    double value = 0;
    if (p < end && *p == '-') { negative = 1; p++; }
    if (p >= end) return NULL;
    if (*p == '0') {
        p++;
    } else if (*p >= '1' && *p <= '9') {
        while (p < end && *p >= '0' && *p <= '9') value = value * 10 + (*p++ - '0');
    } else {
        return NULL;
    }
    if (p < end && *p == '.') {
        p++;
        if (p >= end || *p < '0' || *p > '9') return NULL;
        double scale = 0.1;
        while (p < end && *p >= '0' && *p <= '9') {
            value += (*p++ - '0') * scale;
            scale /= 10;
        }
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        int exponent_negative = 0;
        long exponent = 0;
        if (p < end && (*p == '+' || *p == '-')) exponent_negative = (*p++ == '-');
        if (p >= end || *p < '0' || *p > '9') return NULL;
        while (p < end && *p >= '0' && *p <= '9') {
            if (exponent < 100000) exponent = exponent * 10 + (*p - '0');
            p++;
        }
        /* Past 1e400 a double is infinite or zero anyway; stop multiplying there. */
        for (long i = 0; i < exponent && i < 400; i++) value = exponent_negative ? value / 10 : value * 10;
    }
    if (out != NULL) *out = negative ? -value : value;
    return p;
}

static const char *json_literal(const char *p, const char *end, const char *word) {
    size_t length = strlen(word);
    if ((size_t)(end - p) < length || memcmp(p, word, length) != 0) return NULL;
    return p + length;
}

/* Skips one value at p (no leading whitespace); returns the position after it, or NULL. */
static const char *json_skip_value(const char *p, const char *end, int depth) {
    if (p >= end || depth > JSON_MAX_DEPTH) return NULL;
    switch (*p) {
    case '"':
        return json_skip_string(p, end);
    case 't':
        return json_literal(p, end, "true");
    case 'f':
        return json_literal(p, end, "false");
    case 'n':
        return json_literal(p, end, "null");
    case '[':
        p = json_ws(p + 1, end);
        if (p < end && *p == ']') return p + 1;
        for (;;) {
            p = json_skip_value(p, end, depth + 1);
            if (p == NULL) return NULL;
            p = json_ws(p, end);
            if (p >= end) return NULL;
            if (*p == ']') return p + 1;
            if (*p != ',') return NULL;
            p = json_ws(p + 1, end);
        }
    case '{':
        p = json_ws(p + 1, end);
        if (p < end && *p == '}') return p + 1;
        for (;;) {
            if (p >= end || *p != '"') return NULL;
            p = json_skip_string(p, end);
            if (p == NULL) return NULL;
            p = json_ws(p, end);
            if (p >= end || *p != ':') return NULL;
            p = json_skip_value(json_ws(p + 1, end), end, depth + 1);
            if (p == NULL) return NULL;
            p = json_ws(p, end);
            if (p >= end) return NULL;
            if (*p == '}') return p + 1;
            if (*p != ',') return NULL;
            p = json_ws(p + 1, end);
        }
    default:
        return json_number(p, end, NULL);
    }
}

/* Whether [p, end) is exactly one JSON value with optional whitespace around it. */
static int json_valid(const char *p, const char *end) {
    p = json_skip_value(json_ws(p, end), end, 0);
    return p != NULL && json_ws(p, end) == end;
}

static size_t utf8_encode(uint32_t cp, char *out) {
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/*
 * Decodes the string value at p (at its opening quote) into a malloc'd, NUL-terminated copy and
 * its length (which counts an escaped \u0000 inside). \uXXXX escapes become UTF-8, surrogate
 * pairs one 4-byte character, a lone surrogate U+FFFD. NULL when p is not a valid string.
 * Every escape is at least as long as what it decodes to, so the raw length is enough room.
 */
static char *json_string_copy(const char *p, const char *end, size_t *length) {
    const char *close = json_skip_string(p, end);
    if (close == NULL) return NULL;
    char *out = (char *)malloc((size_t)(close - p));
    if (out == NULL) return NULL;
    size_t n = 0;
    p++;
    while (p < close - 1) {
        if (*p != '\\') { out[n++] = *p++; continue; }
        char kind = p[1];
        p += 2;
        switch (kind) {
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'n': out[n++] = '\n'; break;
        case 'r': out[n++] = '\r'; break;
        case 't': out[n++] = '\t'; break;
        case 'u': {
            uint32_t cp = (uint32_t)json_hex4(p, close);
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                long low = (close - p >= 6 && p[0] == '\\' && p[1] == 'u') ? json_hex4(p + 2, close) : -1;
                if (low >= 0xDC00 && low <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)low - 0xDC00);
                    p += 6;
                } else {
                    cp = 0xFFFD; /* a high surrogate with no low one after it */
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                cp = 0xFFFD; /* a low surrogate on its own */
            }
            n += utf8_encode(cp, out + n);
            break;
        }
        default: out[n++] = kind; break; /* '"', '\\' and '/' stand for themselves */
        }
    }
    out[n] = '\0';
    if (length != NULL) *length = n;
    return out;
}

/*
 * The value of `key` in the top-level object of the valid document [p, end): a pointer to the
 * value's first byte, or NULL when the document is not an object or has no such member.
 */
static const char *json_member(const char *p, const char *end, const char *key) {
    size_t key_length = strlen(key);
    p = json_ws(p, end);
    if (p >= end || *p != '{') return NULL;
    p = json_ws(p + 1, end);
    while (p < end && *p == '"') {
        size_t name_length = 0;
        char *name = json_string_copy(p, end, &name_length);
        if (name == NULL) return NULL;
        int match = name_length == key_length && memcmp(name, key, key_length) == 0;
        free(name);
        p = json_ws(json_skip_string(p, end), end);
        if (p >= end || *p != ':') return NULL;
        p = json_ws(p + 1, end);
        if (match) return p;
        p = json_skip_value(p, end, 1);
        if (p == NULL) return NULL;
        p = json_ws(p, end);
        if (p < end && *p == ',') p = json_ws(p + 1, end);
    }
    return NULL;
}

/* A malloc'd copy of the string member `key`, or NULL when absent or not a string. */
static char *json_get_string(const char *p, const char *end, const char *key, size_t *length) {
    const char *value = json_member(p, end, key);
    if (value == NULL || *value != '"') return NULL;
    return json_string_copy(value, end, length);
}

/* Whether the number member `key` exists; its value in *out. */
static int json_get_number(const char *p, const char *end, const char *key, double *out) {
    const char *value = json_member(p, end, key);
    return value != NULL && json_number(value, end, out) != NULL;
}

/* ------------------------------------------------------------------------------------------- */
/* Results. Every result JSON is malloc'd here and freed by discord_free_result.                   */

/* Fills `result` with `code` and {"message": "prefix: detail"} (just the prefix without a detail). */
static void set_message(lp_call_result *result, int32_t code, uint32_t retry_after, const char *prefix,
                        const char *detail, size_t detail_length) {
    buffer message = {0};
    buffer json = {0};
    buf_text(&message, prefix);
    if (detail != NULL && detail_length > 0) {
        buf_text(&message, ": ");
        buf_append(&message, detail, detail_length);
    }
    buf_text(&json, "{\"message\": ");
    if (message.failed || message.data == NULL) {
        buf_json_string(&json, prefix, strlen(prefix));
    } else {
        buf_json_string(&json, message.data, message.length);
    }
    buf_text(&json, "}");
    free(message.data);
    result->code = code;
    result->retry_after_seconds = code == LP_RETRY_AFTER ? retry_after : 0;
    result->json = buf_take(&json); /* NULL only when memory ran out */
}

/* Fills `result` with LP_OK and {key: value, ...} from pairs of C strings, ending with NULL. */
static void set_ok(lp_call_result *result, const char *const *pairs) {
    buffer json = {0};
    buf_text(&json, "{");
    for (size_t i = 0; pairs[i] != NULL; i += 2) {
        if (i > 0) buf_text(&json, ", ");
        buf_json_string(&json, pairs[i], strlen(pairs[i]));
        buf_text(&json, ": ");
        buf_json_string(&json, pairs[i + 1], strlen(pairs[i + 1]));
    }
    buf_text(&json, "}");
    result->code = LP_OK;
    result->retry_after_seconds = 0;
    result->json = buf_take(&json);
}

static void discord_free_result(void *plugin_context, char *json) {
    (void)plugin_context;
    free(json);
}

/* ------------------------------------------------------------------------------------------- */
/* HTTP answers                                                                                    */

/* The body, cut to at most DISCORD_SNIPPET bytes on a UTF-8 boundary, for messages. */
static size_t snippet_length(const lp_http_response *response) {
    if (response->body == NULL) return 0;
    size_t length = response->body_length < DISCORD_SNIPPET ? (size_t)response->body_length : DISCORD_SNIPPET;
    if (length < response->body_length) {
        /* Do not cut a character in two: back up over continuation bytes and their lead byte. */
        while (length > 0 && ((unsigned char)response->body[length] & 0xC0) == 0x80) length--;
    }
    return length;
}

/* The value of header `name` (lower case, as the host gives them) read as a number of seconds. */
static int header_seconds(const char *headers, const char *name, double *out) {
    size_t name_length = strlen(name);
    for (const char *line = headers; line != NULL && *line != '\0';) {
        const char *newline = strchr(line, '\n');
        const char *line_end = newline ? newline : line + strlen(line);
        if ((size_t)(line_end - line) > name_length && memcmp(line, name, name_length) == 0 && line[name_length] == ':') {
            const char *value = json_ws(line + name_length + 1, line_end);
            const char *after = json_number(value, line_end, out);
            /* Only a plain number counts (Discord never sends Retry-After as an HTTP date). */
            return after != NULL && json_ws(after, line_end) == line_end && *out >= 0;
        }
        line = newline ? newline + 1 : NULL;
    }
    return 0;
}

static uint32_t seconds_up(double seconds) {
    if (!(seconds > 0)) return 1; /* zero, negative or NaN: wait a moment anyway */
    if (seconds >= DISCORD_RETRY_MAX) return DISCORD_RETRY_MAX;
    uint32_t whole = (uint32_t)seconds;
    return (double)whole < seconds ? whole + 1 : whole;
}

/*
 * How long Discord asked to wait: the larger of the body's retry_after (fractional seconds in
 * v10) and the Retry-After header (whole seconds), rounded up; DISCORD_RETRY_DEFAULT without either.
 */
static uint32_t retry_delay(const lp_http_response *response) {
    double seconds = -1, value = -1;
    const char *body = response->body ? response->body : "";
    const char *end = body + (response->body ? response->body_length : 0);
    if (json_valid(body, end) && json_get_number(body, end, "retry_after", &value) && value >= 0) seconds = value;
    if (header_seconds(response->headers, "retry-after", &value) && value > seconds) seconds = value;
    return seconds < 0 ? DISCORD_RETRY_DEFAULT : seconds_up(seconds);
}

/* Discord's JSON error code in an error body (10015 unknown webhook, 10008 unknown message), or -1. */
static long discord_error_code(const lp_http_response *response) {
    double code = -1;
    if (response->body == NULL) return -1;
    const char *end = response->body + response->body_length;
    if (!json_valid(response->body, end) || !json_get_number(response->body, end, "code", &code)) return -1;
    return (long)code;
}

/*
 * The classification shared by both calls for answers other than success. `doing` names the call
 * in the message ("posting the message").
 */
static void classify_failure(lp_call_result *result, const lp_http_response *response, const char *doing) {
    char prefix[320];
    size_t snippet = snippet_length(response);
    switch (response->transport) {
    case LP_HTTP_NOT_SENT:
        snprintf(prefix, sizeof prefix, "Discord could not be reached while %s", doing);
        set_message(result, LP_RETRY_AFTER, DISCORD_RETRY_NOT_SENT, prefix, response->error_message,
                    response->error_message ? strlen(response->error_message) : 0);
        return;
    case LP_HTTP_NO_ANSWER:
        /* Discord webhooks take no idempotency key: the message may be in the channel already. */
        snprintf(prefix, sizeof prefix, "Discord did not answer after the request was sent while %s", doing);
        set_message(result, LP_UNKNOWN_OUTCOME, 0, prefix, response->error_message,
                    response->error_message ? strlen(response->error_message) : 0);
        return;
    case LP_HTTP_ANSWERED:
        break;
    default: /* LP_HTTP_HOST_NOT_ALLOWED, LP_HTTP_INVALID_REQUEST: nothing was sent */
        set_message(result, LP_BAD_REQUEST, 0, "Leopost refused the plugin's request to Discord; check the account's webhook URL",
                    response->error_message, response->error_message ? strlen(response->error_message) : 0);
        return;
    }
    int status = response->status;
    snprintf(prefix, sizeof prefix, "Discord answered %d while %s", status, doing);
    if (status == 429 || status == 503) {
        set_message(result, LP_RETRY_AFTER, retry_delay(response), prefix, response->body, snippet);
    } else if (status == 401 || status == 403 || status == 404) {
        snprintf(prefix, sizeof prefix,
                 "The Discord webhook was deleted or its token is no longer valid (Discord answered %d while %s); "
                 "create a new webhook in the channel's Integrations settings and reconnect the account",
                 status, doing);
        set_message(result, LP_DISCONNECTED, 0, prefix, response->body, snippet);
    } else if (status >= 400 && status < 500) {
        set_message(result, LP_BAD_REQUEST, 0, prefix, response->body, snippet);
    } else {
        /* A 5xx or an unexpected status after the request arrived: it may have been posted. */
        set_message(result, LP_UNKNOWN_OUTCOME, 0, prefix, response->body, snippet);
    }
}

/* ------------------------------------------------------------------------------------------- */
/* URLs                                                                                            */

/*
 * The webhook URL pinned to API v10, with `suffix` added to its path and `query` (or NULL) to its
 * query string: https://discord.com/api/webhooks/1/t?thread_id=5 with "/messages/9" and
 * "wait=true" gives https://discord.com/api/v10/webhooks/1/t/messages/9?thread_id=5&wait=true.
 * A URL already naming a version, or of another shape (a proxy), keeps its path.
 */
static char *webhook_url(const char *base_url, const char *suffix, const char *query) {
    const char *fragment = strchr(base_url, '#');
    size_t base_length = fragment ? (size_t)(fragment - base_url) : strlen(base_url);
    const char *question = (const char *)memchr(base_url, '?', base_length);
    size_t path_length = question ? (size_t)(question - base_url) : base_length;
    while (path_length > 0 && base_url[path_length - 1] == '/') path_length--;

    buffer url = {0};
    static const char unversioned[] = "/api/webhooks/";
    const char *at = NULL;
    for (const char *p = base_url; (size_t)(p - base_url) + sizeof unversioned - 1 <= path_length; p++) {
        if (memcmp(p, unversioned, sizeof unversioned - 1) == 0) { at = p; break; }
    }
    if (at != NULL) {
        buf_append(&url, base_url, (size_t)(at - base_url));
        buf_text(&url, "/api/v10/webhooks/");
        size_t rest = (size_t)(at - base_url) + sizeof unversioned - 1;
        buf_append(&url, base_url + rest, path_length - rest);
    } else {
        buf_append(&url, base_url, path_length);
    }
    buf_text(&url, suffix);
    size_t query_length = question ? base_length - (size_t)(question - base_url) - 1 : 0;
    if (query_length > 0 || query != NULL) buf_text(&url, "?");
    if (query_length > 0) buf_append(&url, question + 1, query_length);
    if (query_length > 0 && query != NULL) buf_text(&url, "&");
    if (query != NULL) buf_text(&url, query);
    return buf_take(&url);
}

/* `text` with every byte outside [A-Za-z0-9._~-] percent-encoded, for a path segment. */
static char *path_segment(const char *text) {
    static const char hex[] = "0123456789ABCDEF";
    buffer out = {0};
    buf_text(&out, "");
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
            *p == '~' || *p == '-') {
            buf_append(&out, (const char *)p, 1);
        } else {
            char escaped[3] = {'%', hex[*p >> 4], hex[*p & 0x0F]};
            buf_append(&out, escaped, 3);
        }
    }
    return buf_take(&out);
}

/* ------------------------------------------------------------------------------------------- */
/* The calls                                                                                       */

static void out_of_memory(lp_call_result *result) {
    set_message(result, LP_RETRY_AFTER, DISCORD_RETRY_NOT_SENT, "the Discord plugin ran out of memory; nothing was sent", NULL, 0);
}

static void discord_publish(void *plugin_context, const lp_host_api *host, const char *request_json, lp_call_result *result) {
    (void)plugin_context;
    if (result == NULL) return;
    if (host == NULL || request_json == NULL) {
        set_message(result, LP_BAD_REQUEST, 0, "the host called the Discord plugin without a request", NULL, 0);
        return;
    }
    const char *end = request_json + strlen(request_json);
    if (!json_valid(request_json, end)) {
        set_message(result, LP_BAD_REQUEST, 0, "the host's publish request is not valid JSON", NULL, 0);
        return;
    }
    size_t text_length = 0;
    char *text = json_get_string(request_json, end, "text", &text_length);
    char *base_url = json_get_string(request_json, end, "base_url", NULL);
    char *url = base_url && base_url[0] ? webhook_url(base_url, "", "wait=true") : NULL;
    buffer body = {0};
    if (text != NULL) {
        buf_text(&body, "{\"content\": ");
        buf_json_string(&body, text, text_length);
        /* A post is the tenant's text, not a ping: "@everyone" in it must not notify a whole server. */
        buf_text(&body, ", \"allowed_mentions\": {\"parse\": []}}");
    }
    char *payload = buf_take(&body);

    if (text == NULL) {
        set_message(result, LP_BAD_REQUEST, 0, "the host's publish request has no \"text\" string", NULL, 0);
    } else if (base_url == NULL || base_url[0] == '\0') {
        set_message(result, LP_DISCONNECTED, 0, NO_WEBHOOK_URL, NULL, 0);
    } else if (url == NULL || payload == NULL) {
        out_of_memory(result);
    } else {
        lp_http_response response;
        memset(&response, 0, sizeof response);
        response.struct_size = (uint32_t)sizeof response;
        host->http(host->context, "POST", url, "Content-Type: application/json\n", payload, strlen(payload), 0, &response);
        if (response.transport == LP_HTTP_ANSWERED && response.status == 200) {
            const char *answer = response.body ? response.body : "";
            const char *answer_end = answer + (response.body ? response.body_length : 0);
            char *id = json_valid(answer, answer_end) ? json_get_string(answer, answer_end, "id", NULL) : NULL;
            if (id != NULL && id[0] != '\0') {
                const char *pairs[] = {"remote_id", id, NULL};
                set_ok(result, pairs);
            } else {
                /* Posted, but not identifiable: a person must find it rather than the worker post again. */
                set_message(result, LP_UNKNOWN_OUTCOME, 0,
                            "Discord accepted the message but its answer named no message id; look in the channel",
                            response.body, snippet_length(&response));
            }
            free(id);
        } else if (response.transport == LP_HTTP_ANSWERED && response.status >= 200 && response.status < 300) {
            /* 204 is the answer without ?wait=true: posted, with no id to reconcile by. */
            set_message(result, LP_UNKNOWN_OUTCOME, 0,
                        "Discord accepted the message without returning it, so its id is unknown; look in the channel", NULL, 0);
        } else {
            if (response.transport == LP_HTTP_ANSWERED && response.status >= 500 && response.status != 503) {
                host->log(host->context, LP_LOG_WARNING, "Discord answered a server error after a publish was sent; the post is unconfirmed");
            }
            classify_failure(result, &response, "posting the message");
        }
        host->free_response(host->context, &response);
    }
    free(text);
    free(base_url);
    free(url);
    free(payload);
}

/*
 * Reconciles an unknown outcome. With the message id (an earlier answer gave it), Discord is
 * asked directly. Without it there is nothing to ask: a webhook token can read only messages
 * whose id it knows, and cannot list or search the channel. Answering "not_found" would let the
 * worker post again and perhaps twice, so the answer stays LP_UNKNOWN_OUTCOME: the host keeps the
 * target unconfirmed and a person looks in the channel.
 */
static void discord_check_status(void *plugin_context, const lp_host_api *host, const char *request_json, lp_call_result *result) {
    (void)plugin_context;
    if (result == NULL) return;
    if (host == NULL || request_json == NULL) {
        set_message(result, LP_BAD_REQUEST, 0, "the host called the Discord plugin without a request", NULL, 0);
        return;
    }
    const char *end = request_json + strlen(request_json);
    if (!json_valid(request_json, end)) {
        set_message(result, LP_BAD_REQUEST, 0, "the host's status request is not valid JSON", NULL, 0);
        return;
    }
    char *base_url = json_get_string(request_json, end, "base_url", NULL);
    char *remote_id = json_get_string(request_json, end, "remote_id", NULL);
    if (base_url == NULL || base_url[0] == '\0') {
        set_message(result, LP_DISCONNECTED, 0, NO_WEBHOOK_URL, NULL, 0);
    } else if (remote_id == NULL || remote_id[0] == '\0') {
        set_message(result, LP_UNKNOWN_OUTCOME, 0,
                    "Discord webhooks cannot be searched, so whether the message was posted is unknown; "
                    "a person must look in the Discord channel and mark the post published or publish it again",
                    NULL, 0);
    } else {
        char *segment = path_segment(remote_id);
        buffer suffix = {0};
        buf_text(&suffix, "/messages/");
        if (segment != NULL) buf_text(&suffix, segment); else suffix.failed = 1;
        char *path = buf_take(&suffix);
        char *url = path ? webhook_url(base_url, path, NULL) : NULL;
        if (url == NULL) {
            out_of_memory(result);
        } else {
            lp_http_response response;
            memset(&response, 0, sizeof response);
            response.struct_size = (uint32_t)sizeof response;
            host->http(host->context, "GET", url, NULL, NULL, 0, 0, &response);
            if (response.transport == LP_HTTP_ANSWERED && response.status == 200) {
                const char *pairs[] = {"state", "published", "remote_id", remote_id, NULL};
                set_ok(result, pairs);
            } else if (response.transport == LP_HTTP_ANSWERED && response.status == 404 && discord_error_code(&response) != 10015) {
                /* 10008 Unknown Message: the webhook exists and the message does not. */
                const char *pairs[] = {"state", "not_found", NULL};
                set_ok(result, pairs);
            } else if (response.transport == LP_HTTP_NO_ANSWER ||
                       (response.transport == LP_HTTP_ANSWERED && response.status >= 500 && response.status != 503)) {
                /* Asking again later is harmless: a GET posts nothing. The outcome stays unknown meanwhile. */
                int lost = response.transport == LP_HTTP_NO_ANSWER;
                const char *detail = lost ? response.error_message : response.body;
                size_t detail_length = lost ? (detail ? strlen(detail) : 0) : snippet_length(&response);
                set_message(result, LP_UNKNOWN_OUTCOME, 0, "Discord could not confirm the message yet", detail, detail_length);
            } else {
                classify_failure(result, &response, "looking the message up");
            }
            host->free_response(host->context, &response);
        }
        free(segment);
        free(path);
        free(url);
    }
    free(base_url);
    free(remote_id);
}

/* ------------------------------------------------------------------------------------------- */
/* The descriptor and the entry point                                                              */

static const lp_platform_descriptor discord_descriptor = {
    .magic = LP_DESCRIPTOR_MAGIC,
    .struct_size = (uint32_t)sizeof(lp_platform_descriptor),
    .abi_major = LP_ABI_MAJOR,
    .abi_minor = LP_ABI_MINOR,
    .reserved = 0,
    .name = "discord",
    .version = "1.0.0",
    /* Discord webhooks take no idempotency key, hence idempotent_publish false. */
    .manifest_json = "{\"platform\": \"Discord\", \"api_version\": \"10\","
                     " \"text\": {\"limit\": 2000, \"counting\": \"characters\"},"
                     " \"media\": [], \"hosts\": [\"https://discord.com\"], \"account_base_url\": true,"
                     " \"rate_limits\": {\"per_account\": {\"requests\": 5, \"seconds\": 2}},"
                     " \"idempotent_publish\": false}",
    .plugin_context = NULL, /* the plugin keeps no state */
    .publish = discord_publish,
    .check_status = discord_check_status,
    .validate = NULL,  /* the manifest's limits say it all */
    .analytics = NULL, /* a webhook cannot read reactions or views */
    .free_result = discord_free_result,
};

/* The plugin's one exported symbol (see leopost_platform.h). */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((visibility("default")))
#endif
const lp_platform_descriptor *leopost_platform_entry(const lp_host_api *host);

const lp_platform_descriptor *leopost_platform_entry(const lp_host_api *host) {
    /* An older or different host would call us through a table laid out differently. */
    if (host == NULL || host->abi_major != LP_ABI_MAJOR || host->struct_size < sizeof(lp_host_api)) return NULL;
    return &discord_descriptor;
}
