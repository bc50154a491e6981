/*
 * A platform plugin that publishes nowhere: every publish succeeds at once without a request.
 * `make bench` loads it like any plugin (dlopen, the same ABI) to measure what the publish path
 * costs Leopost itself: the stage, the post store, the plugin call. Never shipped.
 */
#include <stdlib.h>
#include <string.h>

#include "leopost_platform.h"

static char *copy(const char *text) {
    size_t length = strlen(text) + 1;
    char *result = malloc(length);
    if (result != NULL) memcpy(result, text, length);
    return result;
}

static void noop_publish(void *context, const lp_host_api *host, const char *request, lp_call_result *result) {
    (void)context;
    (void)host;
    (void)request;
    result->code = LP_OK;
    result->json = copy("{\"remote_id\": \"noop\"}");
}

static void noop_check_status(void *context, const lp_host_api *host, const char *request, lp_call_result *result) {
    (void)context;
    (void)host;
    (void)request;
    result->code = LP_OK;
    result->json = copy("{\"state\": \"published\", \"remote_id\": \"noop\"}");
}

static void noop_free_result(void *context, char *json) {
    (void)context;
    free(json);
}

static const lp_platform_descriptor noop_descriptor = {
    .magic = LP_DESCRIPTOR_MAGIC,
    .struct_size = (uint32_t)sizeof(lp_platform_descriptor),
    .abi_major = LP_ABI_MAJOR,
    .abi_minor = LP_ABI_MINOR,
    .reserved = 0,
    .name = "noop",
    .version = "1.0.0",
    .manifest_json = "{\"platform\": \"No-op\", \"api_version\": \"1\","
                     " \"text\": {\"limit\": 5000, \"counting\": \"characters\"},"
                     " \"media\": [], \"hosts\": [], \"account_base_url\": true, \"idempotent_publish\": true}",
    .plugin_context = NULL,
    .publish = noop_publish,
    .check_status = noop_check_status,
    .validate = NULL,
    .analytics = NULL,
    .free_result = noop_free_result,
};

#if defined(__GNUC__) || defined(__clang__)
__attribute__((visibility("default")))
#endif
const lp_platform_descriptor *leopost_platform_entry(const lp_host_api *host);

const lp_platform_descriptor *leopost_platform_entry(const lp_host_api *host) {
    if (host == NULL || host->abi_major != LP_ABI_MAJOR || host->struct_size < sizeof(lp_host_api)) return NULL;
    return &noop_descriptor;
}
