#!/usr/bin/env bash
# Prints Leopost's benchmark figures. Runs inside scripts/with-test-servers.sh (local servers only).
set -euo pipefail
bin=$(swift build -c release --show-bin-path)
redis_port=${LEOPOST_TEST_REDIS_URL##*:}; redis_port=${redis_port%%/*}
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(redis-server --version | cut -d' ' -f3)"
echo "== redis-benchmark XADD (the same redis-server; 50 clients, no pipelining)"
xadd() { redis-benchmark -h 127.0.0.1 -p "$redis_port" -q "$@" XADD '{bench}:stream' MAXLEN '~' 100000 '*' payload '{"n":1}' | tr '\r' '\n' | awk 'NF' | tail -n 1; }
xadd -n 100000 -c 50
echo "== redis-benchmark XADD, 1 client (one request in flight, like one stage call)"
xadd -n 20000 -c 1
echo "== leopost-bench (release build; peak memory from /usr/bin/time)"
/usr/bin/time -f "leopost-bench peak RSS: %M KiB" "$bin/leopost-bench"
