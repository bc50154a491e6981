# Leopost: the two commands a newcomer needs are `make run` and `make test`.
SWIFT ?= swift
BUILD_FLAGS ?=

.PHONY: run test check lint format e2e build release bench deps clean plugins chaos

# The plain-C example plugin, built beside the Swift plugins (which SwiftPM builds as products).
CC ?= cc
C_PLUGIN = Platforms/Plugins/ExampleC/discord_platform.c
define build_c_plugin
	$(CC) -std=c99 -O2 -Wall -Wextra -Werror -shared -fPIC -I Platforms/include -o $(1)/libLeopostPlatformDiscord.so $(C_PLUGIN)
endef

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build $(BUILD_FLAGS)
	$(call build_c_plugin,$$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path))

## Leopost and every shipped platform plugin (Swift and C), into the build directory it loads them from.
plugins: build

## Build and start Leopost with its embedded redis-server and PostgreSQL (data in ./.leopost/).
run: build
	exec $$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path)/leopost serve

## Run every test against a throwaway redis-server and PostgreSQL on free loopback ports,
## then the web chat in headless Chromium.
test: deps
	@scripts/install-deps.sh chromium chromium-driver
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	$(call build_c_plugin,$$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path))
	scripts/with-test-servers.sh $(SWIFT) test --skip-build $(BUILD_FLAGS)
	scripts/with-test-servers.sh scripts/e2e.sh

## A fault drill, not part of `make test`: 1,000 chat messages at 40/s over 50 conversations while each
## worker and the gateway are killed -9 and Redis and PostgreSQL are restarted, on servers of its own
## (loopback, about 2 minutes); prints accepted, stored, answered, duplicated, unanswered.
chaos: build
	python3 scripts/chaos.py --leopost $$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path)/leopost \
		--pg-bin $$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

## The pure tests only (no Redis, no PostgreSQL: parsers, crypto, the HTTP client against in-process
## servers, the plugin loader, providers against local fakes), for the edit-compile-test loop.
PURE_SUITES = AESGCMTests|AnthropicProviderTests|ChannelErrorCodeTests|ConnectionLeaseStateMachineTests|ConstantTimeTests|\
	EgressGuardTests|EndlessStreamTests|GeminiProviderTests|HMACSHA|HTTPClientErrorTests|HTTPClientFailureTests|\
	HTTPClientStreamingTests|HTTPClientTests|HTTPResponseHeadParserTests|HexTests|JWTSignerTests|JWTVectorTests|\
	MailParserTests|MailReplyTextTests|OfflineProviderTests|OpenAIProviderTests|PluginLoaderTests|PolicyChainBuilderSecretTests|PolicyChannelNamesTests|\
	PolicyDocumentScanTests|PolicyParserTests|PolicyRenderingAndStoreTests|PostgresConfigurationTests|PublishingRulesTests|\
	RedisURLTests|RetryPolicyTests|SQLTests|SecureRandomTests|ServerSentEventParserTests|SymmetricKeyTests|TextSplitterTests|UsageMeterTests
check:
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	$(call build_c_plugin,$$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path))
	$(SWIFT) test --skip-build $(BUILD_FLAGS) --filter '$(PURE_SUITES)'

## Check the formatting against .swift-format (the toolchain's swift format); CI fails on any finding.
lint:
	$(SWIFT) format lint --strict --recursive --parallel Core Channels Providers Platforms App Tests Package.swift

## Rewrite the sources as .swift-format says.
format:
	$(SWIFT) format format --in-place --recursive --parallel Core Channels Providers Platforms App Tests Package.swift

## The web chat in headless Chromium alone, with the posting loop on the Mastodon plugin
## (screenshots in .build/e2e/chat.png and post.png).
e2e: build
	@scripts/install-deps.sh chromium chromium-driver
	scripts/with-test-servers.sh scripts/e2e.sh

release: deps
	$(SWIFT) build -c release --product leopost

## Print throughput and latency figures (release build, local servers only).
bench: deps
	@scripts/install-deps.sh wrk time
	$(SWIFT) build -c release
	$(call build_c_plugin,$$($(SWIFT) build -c release --show-bin-path))
	$(CC) -std=c99 -O2 -Wall -Wextra -Werror -shared -fPIC -I Platforms/include \
		-o $$($(SWIFT) build -c release --show-bin-path)/libLeopostPlatformNoop.so Tests/Benchmarks/NoopPlugin/noop_platform.c
	scripts/with-test-servers.sh scripts/bench.sh

clean:
	rm -rf .build
