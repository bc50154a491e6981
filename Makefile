# Leopost: the two commands a newcomer needs are `make run` and `make test`.
SWIFT ?= swift
BUILD_FLAGS ?=

.PHONY: run test e2e build release bench deps clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build $(BUILD_FLAGS)

## Build and start Leopost with its embedded redis-server and PostgreSQL (data in ./.leopost/).
run: deps
	$(SWIFT) build $(BUILD_FLAGS) --product leopost
	exec $$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path)/leopost serve

## Run every test against a throwaway redis-server and PostgreSQL on free loopback ports,
## then the web chat in headless Chromium.
test: deps
	@scripts/install-deps.sh chromium chromium-driver
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	scripts/with-test-servers.sh $(SWIFT) test --skip-build $(BUILD_FLAGS)
	scripts/with-test-servers.sh scripts/e2e.sh

## The web chat in headless Chromium alone (screenshot in .build/e2e/chat.png).
e2e: deps
	@scripts/install-deps.sh chromium chromium-driver
	$(SWIFT) build $(BUILD_FLAGS) --product leopost
	scripts/with-test-servers.sh scripts/e2e.sh

release: deps
	$(SWIFT) build -c release --product leopost

## Print throughput and latency figures (release build, local servers only).
bench: deps
	@scripts/install-deps.sh wrk time
	$(SWIFT) build -c release
	scripts/with-test-servers.sh scripts/bench.sh

clean:
	rm -rf .build
