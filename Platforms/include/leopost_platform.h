/*
 * leopost_platform.h — the whole contract between Leopost and a platform plugin.
 *
 * A platform plugin is a shared library that posts to one social platform (Mastodon, LinkedIn,
 * X, ...). Leopost loads it at run time with dlopen(RTLD_NOW | RTLD_LOCAL); a new platform never
 * needs a rebuild of Leopost. The plugin reaches the network only through the host's services
 * below, and only the hosts its manifest names.
 *
 * VERSIONING
 *   LP_ABI_MAJOR changes when an existing field or function changes meaning: the host refuses a
 *   library whose major differs from its own. LP_ABI_MINOR grows when fields are appended to a
 *   struct; a library built against an older minor is accepted, and each struct's leading
 *   `struct_size` tells the other side which trailing fields exist. Fields are appended only,
 *   each addition marked with the minor that added it.
 *
 * MEMORY — the side that allocates frees, through a function of its own side:
 *   - Arguments (request JSON, URLs, headers, bodies) are borrowed for the duration of the call.
 *     Copy what you keep.
 *   - A plugin's result JSON (lp_call_result.json) is allocated by the plugin and handed back to
 *     the plugin's own `free_result` once the host has copied it.
 *   - A host HTTP response (lp_http_response) is filled by the host and given back to the host's
 *     `free_response`.
 *   - The descriptor returned by the entry point belongs to the plugin and lives as long as the
 *     library is loaded (Leopost never unloads a plugin); the host never frees it.
 *
 * THREADS
 *   The host may call `publish`, `check_status` and `validate` from several threads at once,
 *   each call with its own request. Calls are blocking; host services are blocking too. Keep no
 *   mutable state between calls; everything a call needs is in its request JSON.
 *
 * STRINGS are UTF-8 and NUL-terminated. JSON never contains a raw NUL.
 */
#ifndef LEOPOST_PLATFORM_H
#define LEOPOST_PLATFORM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LP_ABI_MAJOR 1
#define LP_ABI_MINOR 0

/* "LPPL": the first field of every descriptor, so a stray symbol of the right name is refused. */
#define LP_DESCRIPTOR_MAGIC 0x4C50504Cu

/* The one symbol a plugin exports. */
#define LP_ENTRY_SYMBOL "leopost_platform_entry"

/*
 * Result codes of a plugin call. They classify the outcome for the publish worker; the result
 * JSON explains it to a person.
 */
#define LP_OK 0               /* done; result JSON holds the answer */
#define LP_RETRY_AFTER 1      /* nothing happened on the platform; try again after retry_after_seconds */
#define LP_REFRESH_TOKEN 2    /* the account's token expired or was revoked; nothing was posted */
#define LP_BAD_REQUEST 3      /* the platform refused the content for good (too long, bad media) */
#define LP_DISCONNECTED 4     /* the account is gone or lost permission; a person must reconnect it */
#define LP_UNKNOWN_OUTCOME 5  /* the request was sent and no answer came: it may have been posted */

/* Log levels for lp_host_api.log. */
#define LP_LOG_DEBUG 0
#define LP_LOG_INFO 1
#define LP_LOG_WARNING 2
#define LP_LOG_ERROR 3

/* lp_http_response.transport: what happened below HTTP. */
#define LP_HTTP_ANSWERED 0          /* the server answered; `status` is its HTTP status */
#define LP_HTTP_NOT_SENT 1          /* nothing reached the server (DNS, connect refused, connect timeout) */
#define LP_HTTP_NO_ANSWER 2         /* sent, then no complete answer (timeout, connection dropped) */
#define LP_HTTP_HOST_NOT_ALLOWED 3  /* the URL's host is not in the manifest: nothing was sent */
#define LP_HTTP_INVALID_REQUEST 4   /* bad URL, method or header line: nothing was sent */

/* One HTTP exchange, filled by the host. Give it back to lp_host_api.free_response. */
typedef struct lp_http_response {
    uint32_t struct_size;   /* sizeof(lp_http_response) as the host knows it */
    int32_t transport;      /* LP_HTTP_* */
    int32_t status;         /* HTTP status when transport == LP_HTTP_ANSWERED, else 0 */
    uint32_t reserved;
    char *headers;          /* response headers, "name: value\n" per line, names in lower case */
    char *body;             /* response body, NUL-terminated (it may also contain NULs: use body_length) */
    uint64_t body_length;
    char *error_message;    /* what went wrong below HTTP, or NULL */
} lp_http_response;

/*
 * The services Leopost offers a plugin. The host passes a table to the entry point and to every
 * call; use the table of the call you are in (it knows which account and hosts the call may use).
 */
typedef struct lp_host_api {
    uint32_t struct_size;   /* sizeof(lp_host_api) as the host knows it */
    uint16_t abi_major;
    uint16_t abi_minor;
    void *context;          /* the host's; pass it back as the first argument of every service */

    /*
     * Performs an HTTP request through the host's HTTP client, if the URL's scheme, host and port
     * are allowed by the manifest (or are the account's configured base URL). `headers` is
     * "Name: value\n" lines or NULL; `body` may be NULL. Blocks until the answer or the timeout
     * (0 = the host's default). Always fills `response`; the return value is its `transport`.
     */
    int32_t (*http)(void *context, const char *method, const char *url, const char *headers,
                    const char *body, uint64_t body_length, uint32_t timeout_ms,
                    lp_http_response *response);
    /* Frees what `http` put in `response` (not the struct itself, which is the caller's). */
    void (*free_response)(void *context, lp_http_response *response);
    /* Writes a line to Leopost's log, tagged with the plugin's name. */
    void (*log)(void *context, int32_t level, const char *message);
    /* Wall-clock time, milliseconds since 1970 (the host's clock, so tests can control it). */
    int64_t (*now_unix_ms)(void *context);
    /* HMAC-SHA256 of `data` under `key` into `out` (32 bytes), for signed requests and webhooks. */
    void (*hmac_sha256)(void *context, const uint8_t *key, uint64_t key_length,
                        const uint8_t *data, uint64_t data_length, uint8_t out[32]);
} lp_host_api;

/* What a plugin call produced. The host zeroes it and sets struct_size; the plugin fills it. */
typedef struct lp_call_result {
    uint32_t struct_size;          /* sizeof(lp_call_result) as the host knows it */
    int32_t code;                  /* LP_OK ... LP_UNKNOWN_OUTCOME */
    uint32_t retry_after_seconds;  /* with LP_RETRY_AFTER: how long the platform asked to wait */
    uint32_t reserved;
    char *json;                    /* plugin-allocated JSON (see below), freed by `free_result` */
} lp_call_result;

/*
 * A plugin function: `plugin_context` is the descriptor's, `host` the call's services,
 * `request_json` the borrowed request.
 *
 * publish       request:  {"idempotency_key", "text", "media": [{"kind", "url"}], "base_url",
 *                          "account": {"access_token", "account_id", "settings": {...}}}
 *               LP_OK:    {"remote_id", "url"?}
 * check_status  request:  the publish request plus "remote_id" (when known) and "sent_after_ms"
 *               LP_OK:    {"state": "published", "remote_id", "url"?} or {"state": "not_found"}
 * validate      request:  {"text", "media"}   LP_OK: {"length": n, "problems": ["..."]}
 *
 * Any other code: {"message": "a sentence a person can act on"}.
 */
typedef void (*lp_platform_call)(void *plugin_context, const lp_host_api *host,
                                 const char *request_json, lp_call_result *result);

/* The plugin's self-description, owned by the plugin for as long as it is loaded. */
typedef struct lp_platform_descriptor {
    uint32_t magic;        /* LP_DESCRIPTOR_MAGIC */
    uint32_t struct_size;  /* sizeof(lp_platform_descriptor) as the plugin knows it */
    uint16_t abi_major;    /* LP_ABI_MAJOR the plugin was built with */
    uint16_t abi_minor;    /* LP_ABI_MINOR the plugin was built with */
    uint32_t reserved;
    const char *name;      /* lower-case platform name, unique among loaded plugins: "mastodon" */
    const char *version;   /* the plugin's own version, for `leopost plugins list` */
    /*
     * JSON manifest:
     * {"platform": "Mastodon", "api_version": "v1",
     *  "text": {"limit": 500, "counting": "characters" | "weighted" | "utf16", "url_length": 23},
     *  "media": ["image", "video"], "media_required": false,
     *  "hosts": ["https://api.x.com"], "base_url": "https://api.x.com", "account_base_url": false,
     *  "rate_limits": {"per_account": {"requests": 300, "seconds": 10800},
     *                  "per_app": {"requests": 10000, "seconds": 86400}},
     *  "idempotent_publish": true,
     *  "oauth": {"authorize_url", "token_url", "scopes": [...]}}
     */
    const char *manifest_json;
    void *plugin_context;            /* passed back as the first argument of every call */
    lp_platform_call publish;        /* required */
    lp_platform_call check_status;   /* required: how an unknown outcome is reconciled */
    lp_platform_call validate;       /* optional (NULL): extra checks beyond the manifest's limits */
    lp_platform_call analytics;      /* optional (NULL): request {"remote_id", "account"} */
    void (*free_result)(void *plugin_context, char *json);  /* frees lp_call_result.json */
} lp_platform_descriptor;

/*
 * The entry point every plugin exports (LP_ENTRY_SYMBOL). Called once per load, before any other
 * function. Return NULL when the host's table is too old for the plugin (check host->abi_major
 * and host->struct_size).
 */
typedef const lp_platform_descriptor *(*lp_platform_entry)(const lp_host_api *host);

#ifdef __cplusplus
}
#endif

#endif /* LEOPOST_PLATFORM_H */
