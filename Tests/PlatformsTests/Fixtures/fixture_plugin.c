/*
 * A plugin for the loader's tests, compiled by the tests with different -D flags to make each
 * kind of broken library: FIXTURE_NO_ENTRY (no entry symbol), FIXTURE_ABI_MAJOR (another major),
 * FIXTURE_MAGIC (a wrong magic), FIXTURE_MANIFEST (another manifest), FIXTURE_NULL_DESCRIPTOR
 * (the entry declines), FIXTURE_NAME. Its publish acts on the post's text:
 *   "call:URL"      calls URL through the host and answers {"remote_id": "<transport>:<status>"}
 *   "invalid-json"  answers text that is not JSON
 *   "bad-code"      answers a result code the ABI does not have
 *   "huge"          logs a 1 MiB line, then answers 8 MiB of JSON
 *   anything else   answers {"remote_id": "fixture-1"}
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "leopost_platform.h"

#ifndef FIXTURE_NAME
#define FIXTURE_NAME "fixture"
#endif
#ifndef FIXTURE_ABI_MAJOR
#define FIXTURE_ABI_MAJOR LP_ABI_MAJOR
#endif
#ifndef FIXTURE_MAGIC
#define FIXTURE_MAGIC LP_DESCRIPTOR_MAGIC
#endif
#ifndef FIXTURE_MANIFEST
#define FIXTURE_MANIFEST "{\"platform\": \"Fixture\", \"text\": {\"limit\": 100, \"counting\": \"characters\"}, \"media\": [], " \
    "\"hosts\": [\"http://127.0.0.1:9\"], \"base_url\": \"http://127.0.0.1:9\"}"
#endif

static char *copy(const char *text) {
    char *out = malloc(strlen(text) + 1);
    strcpy(out, text);
    return out;
}

/* The value of "text" in the request; the tests send no escapes in it. */
static void text_of(const char *request, char *out, size_t size) {
    const char *start = strstr(request, "\"text\":\"");
    out[0] = 0;
    if (!start) return;
    start += 8;
    const char *end = strchr(start, '"');
    size_t length = end ? (size_t)(end - start) : 0;
    if (length >= size) length = size - 1;
    memcpy(out, start, length);
    out[length] = 0;
}

static void publish(void *context, const lp_host_api *host, const char *request, lp_call_result *result) {
    (void)context;
    char text[512];
    text_of(request, text, sizeof text);
    result->code = LP_OK;
    if (strncmp(text, "call:", 5) == 0) {
        lp_http_response response;
        memset(&response, 0, sizeof response);
        response.struct_size = sizeof response;
        int32_t transport = host->http(host->context, "GET", text + 5, NULL, NULL, 0, 0, &response);
        char answer[128];
        snprintf(answer, sizeof answer, "{\"remote_id\": \"%d:%d\"}", (int)transport, (int)response.status);
        host->free_response(host->context, &response);
        result->json = copy(answer);
    } else if (strcmp(text, "invalid-json") == 0) {
        result->json = copy("this is not {json");
    } else if (strcmp(text, "huge") == 0) {
        size_t size = 8u << 20;
        char *big = malloc(size + 1);
        memset(big, ' ', size);
        big[0] = '{';
        big[size - 1] = '}';
        big[size] = 0;
        big[1 << 20] = 0;
        host->log(host->context, LP_LOG_WARNING, big + 1);
        big[1 << 20] = ' ';
        result->json = big;
    } else if (strcmp(text, "bad-code") == 0) {
        result->code = 42;
        result->json = copy("{\"message\": \"a code from the future\"}");
    } else {
        result->json = copy("{\"remote_id\": \"fixture-1\"}");
    }
}

static void check_status(void *context, const lp_host_api *host, const char *request, lp_call_result *result) {
    (void)context; (void)host; (void)request;
    result->code = LP_OK;
    result->json = copy("{\"state\": \"not_found\"}");
}

static void free_result(void *context, char *json) {
    (void)context;
    free(json);
}

static const lp_platform_descriptor descriptor = {
    .magic = FIXTURE_MAGIC,
    .struct_size = sizeof(lp_platform_descriptor),
    .abi_major = FIXTURE_ABI_MAJOR,
    .abi_minor = LP_ABI_MINOR,
    .name = FIXTURE_NAME,
    .version = "0.0.1",
    .manifest_json = FIXTURE_MANIFEST,
    .plugin_context = NULL,
    .publish = publish,
    .check_status = check_status,
    .validate = NULL,
    .analytics = NULL,
    .free_result = free_result,
};

#ifdef FIXTURE_NO_ENTRY
const lp_platform_descriptor *not_the_entry(const lp_host_api *host) {
#else
const lp_platform_descriptor *leopost_platform_entry(const lp_host_api *host) {
#endif
#ifdef FIXTURE_NULL_DESCRIPTOR
    (void)host;
    return NULL;
#else
    return host->abi_major == LP_ABI_MAJOR ? &descriptor : NULL;
#endif
}
