#!/usr/bin/env bash
# Prints Leopost's benchmark figures. Runs inside scripts/with-test-servers.sh (local servers only).
set -euo pipefail
bin=$(swift build -c release --show-bin-path)
redis_port=${LEOPOST_TEST_REDIS_URL##*:}; redis_port=${redis_port%%/*}
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(redis-server --version | cut -d' ' -f3)"
echo "== redis-benchmark XADD (the same redis-server; 50 clients, no pipelining)"
redis-benchmark -h 127.0.0.1 -p "$redis_port" -n 100000 -c 50 -t xadd -q | tr '\r' '\n' | grep -v '^$' | tail -n 1
echo "== redis-benchmark XADD, 1 client (one request in flight, like one stage call)"
redis-benchmark -h 127.0.0.1 -p "$redis_port" -n 20000 -c 1 -t xadd -q | tr '\r' '\n' | grep -v '^$' | tail -n 1
echo "== leopost-bench (release build; peak memory from /usr/bin/time)"
/usr/bin/time -f "leopost-bench peak RSS: %M KiB" "$bin/leopost-bench"
