#!/usr/bin/env bash
# Prints Leopost's benchmark figures. Runs inside scripts/with-test-servers.sh (local servers only).
set -euo pipefail
bin=$(swift build -c release --show-bin-path)
# Everything printed also goes to a log, from which the summary table at the end is made.
bench_log=$(mktemp /tmp/leopost-bench-log.XXXXXX)
exec > >(tee "$bench_log") 2>&1
summary() { python3 "$(dirname "$0")/bench/summary.py" "$bench_log"; rm -f "$bench_log"; }
redis_port=${LEOPOST_TEST_REDIS_URL##*:}; redis_port=${redis_port%%/*}
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(redis-server --version | cut -d' ' -f3)"
# LEOPOST_BENCH_ONLY=<part> runs one part: a leopost-bench part (chain, stage, chat, publish, ...) or
# "gateway" (the webhook and idle-stream figures of one gateway process).
only=${LEOPOST_BENCH_ONLY:-}
echo "== redis-benchmark XADD (the same redis-server; 50 clients, no pipelining)"
xadd() { redis-benchmark -h 127.0.0.1 -p "$redis_port" -q "$@" XADD '{bench}:stream' MAXLEN '~' 100000 '*' payload '{"n":1}' | tr '\r' '\n' | awk 'NF' | tail -n 1; }
xadd -n 100000 -c 50
echo "== redis-benchmark XADD, 1 client (one request in flight, like one stage call)"
xadd -n 20000 -c 1
echo "== redis-benchmark PING_MBULK, 1 and 64 clients (the reference for Leopost's own Redis client below)"
for clients in 1 64; do
  redis-benchmark -h 127.0.0.1 -p "$redis_port" -q -n 50000 -c "$clients" -t ping_mbulk | tr '\r' '\n' | awk 'NF' | tail -n 1 | sed "s/^/$clients clients: /"
done
if [ "$only" != gateway ]; then
  echo "== leopost-bench (release build; peak memory from /usr/bin/time)"
  /usr/bin/time -f "leopost-bench peak RSS: %M KiB" "$bin/leopost-bench"
  if [ -z "$only" ] || [ "$only" = publish ]; then
    echo "== the publish job's PostgreSQL work alone, with pgbench: the ceiling of the publish figures above"
    "$(dirname "$0")/bench/publish_reference.sh" "$bin/leopost"
  fi
  if [ -z "$only" ] || [ "$only" = chain ]; then
    echo "== the chain again, the bench process pinned to one core (taskset -c 0; redis-server and the fake provider's server share it)"
    LEOPOST_BENCH_ONLY=chain taskset -c 0 "$bin/leopost-bench"
  fi
fi
if [ -n "$only" ] && [ "$only" != gateway ]; then summary; exit 0; fi

echo "== one 'leopost gateway' process (release build): webhooks, then idle SSE streams"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
database="bench_$(date +%s)_$$"
psql -q "$LEOPOST_TEST_DATABASE_URL" -c "CREATE DATABASE $database"
work=$(mktemp -d /tmp/leopost-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
telegram_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
gateway_pid=""
callgrind_pid=""
stop_gateway() {
  for pid in "$gateway_pid" "$callgrind_pid"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  psql -q "$LEOPOST_TEST_DATABASE_URL" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" || true
  rm -rf "$work"
}
trap stop_gateway EXIT
export LEOPOST_MASTER_KEY="$(openssl rand -hex 32)" LEOPOST_JWT_SECRET="$(openssl rand -hex 32)"
# run_gateway PORT [WRAPPER...]: one 'leopost gateway' on PORT, optionally under a wrapper (valgrind).
run_gateway() {
  local listen=$1
  shift
  export LEOPOST_REDIS_URL="$LEOPOST_TEST_REDIS_URL" LEOPOST_DATABASE_URL="${LEOPOST_TEST_DATABASE_URL%/*}/$database"
  export LEOPOST_DATA_DIR="$work" LEOPOST_HTTP_ADDR="127.0.0.1:$listen" LEOPOST_LOG_LEVEL=error
  # The idle-stream measurement below opens thousands of streams as one person; a deployment keeps the default 20.
  export LEOPOST_MAX_EVENT_STREAMS=10000
  # Telegram is a one-call stub (scripts/bench/telegram_stub.py) for connecting the bot; the typing
  # action after each accepted update then finds its port closed: refused at once.
  export TELEGRAM_API_BASE_URL="http://127.0.0.1:$telegram_port"
  exec "$@" "$bin/leopost" gateway >"$work/gateway-$listen.log" 2>&1
}
wait_ready() { for _ in $(seq 1 "$2"); do curl -fs "http://127.0.0.1:$1/readyz" >/dev/null 2>&1 && return 0; sleep 0.2; done; return 1; }
(run_gateway "$port") &
gateway_pid=$!
wait_ready "$port" 150
export LEOPOST_REDIS_URL="$LEOPOST_TEST_REDIS_URL" LEOPOST_DATABASE_URL="${LEOPOST_TEST_DATABASE_URL%/*}/$database" LEOPOST_DATA_DIR="$work"
tenant=$("$bin/leopost" tenant create Bench --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["tenant_id"])')
token=$("$bin/leopost" token --tenant "$tenant" --user bench)
conversation=$(curl -fs -X POST -H "Authorization: Bearer $token" "http://127.0.0.1:$port/v1/conversations" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
echo "== Telegram webhooks accepted by that gateway (secret checked, update decoded, update_id deduplicated and queued on the intake stage in one Lua call), wrk 10 s, 32 connections, 64 chats"
api_key=$("$bin/leopost" tenant create BenchHooks --json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["tenant_id"], d["api_key"])')
hook_tenant=${api_key%% *}; api_key=${api_key##* }
hook_secret=$(openssl rand -hex 24)
coproc TELEGRAM_STUB { exec python3 scripts/bench/telegram_stub.py "$telegram_port"; }
read -r _ <&"${TELEGRAM_STUB[0]}"
hook_path=$(curl -fs -X POST -H "Authorization: Bearer $api_key" -H "Content-Type: application/json" \
  -d "{\"kind\":\"telegram\",\"name\":\"bench\",\"credentials\":{\"bot_token\":\"1:bench\",\"secret_token\":\"$hook_secret\"}}" \
  "http://127.0.0.1:$port/v1/channels" | python3 -c 'import json, sys; print(json.load(sys.stdin)["webhook_url"])')
hook_token=$("$bin/leopost" token --tenant "$hook_tenant" --user bench)
# Each chat sends /link first (its update is the first of its chat, so the intake stage links it
# before it takes the chat's messages).
for chat in $(seq 5001 5064); do
  code=$(curl -fs -X POST -H "Authorization: Bearer $hook_token" "http://127.0.0.1:$port/v1/link-codes" | python3 -c 'import json, sys; print(json.load(sys.stdin)["code"])')
  curl -fs -o /dev/null -X POST -H "Content-Type: application/json" -H "X-Telegram-Bot-Api-Secret-Token: $hook_secret" \
    -d "{\"update_id\":$chat,\"message\":{\"message_id\":1,\"from\":{\"id\":$chat,\"is_bot\":false,\"first_name\":\"B\"},\"chat\":{\"id\":$chat,\"type\":\"private\"},\"date\":1,\"text\":\"/link $code\"}}" \
    "http://127.0.0.1:$port$hook_path"
done
WEBHOOK_PATH="$hook_path" WEBHOOK_SECRET="$hook_secret" FIRST_CHAT=5001 CHATS=64 \
  wrk -t 2 -c 32 -d 10s --latency -s scripts/bench/telegram-webhook.lua "http://127.0.0.1:$port" | grep -E "Requests/sec|Non-2xx|50%|99%|requests in"
intake_stream='{lp:intake}:stream'
# The same backlog every run: the oldest 20,000 updates (the /link ones first). The worker admits
# (parks) what it reads before it stores, so a deeper backlog left by a faster webhook would
# lower the figure.
redis-cli -p "$redis_port" EVAL "local last = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', ARGV[1]) \
  if #last < tonumber(ARGV[1]) then return 0 end \
  local later = redis.call('XRANGE', KEYS[1], '(' .. last[#last][1], '+') \
  for _, entry in ipairs(later) do redis.call('XDEL', KEYS[1], entry[1]) end return #later" 1 "$intake_stream" 20000 >/dev/null
queued=$(redis-cli -p "$redis_port" XLEN "$intake_stream")
echo "== the intake stage behind it: one 'leopost worker --stages intake' (16 jobs at once) for 10 s over the $queued queued updates (sender, conversation, message stored, event published, router job queued)"
(TELEGRAM_API_BASE_URL="http://127.0.0.1:$telegram_port" exec "$bin/leopost" worker --stages intake >"$work/worker.log" 2>&1) &
worker_pid=$!
sleep 10
left=$(redis-cli -p "$redis_port" XLEN "$intake_stream")
kill -INT "$worker_pid"; wait "$worker_pid" 2>/dev/null || true
stored=$(psql -tA "$LEOPOST_DATABASE_URL" -c "SELECT count(*) FROM messages WHERE direction = 'inbound'")
echo "intake: $stored messages stored in 10 s ($((stored / 10))/s, start-up included); $((queued - left)) entries left the stream (taken, or parked behind an earlier one of their chat)"
redis-cli -p "$redis_port" DEL "$intake_stream" >/dev/null
echo "== the same gateway's trivial route (GET /healthz), wrk 10 s, 32 connections: what Hummingbird alone does on this machine"
wrk -t 2 -c 32 -d 10s --latency "http://127.0.0.1:$port/healthz" | grep -E "Requests/sec|Non-2xx|50%|99%|requests in"

for count in 1000 5000; do
  python3 scripts/sse_idle.py --port "$port" --path "/v1/conversations/$conversation/events" --token "$token" --pid "$gateway_pid" --count "$count"
done
# The floor under them: the same count of idle keep-alive connections that made one plain request.
python3 scripts/sse_idle.py --port "$port" --path /healthz --token "$token" --pid "$gateway_pid" --count 5000 \
  --label "idle keep-alive connections (one GET /healthz each, Hummingbird's own cost)"

echo "== callgrind: instructions per request of a second gateway run under valgrind (repeatable where wall time is not)"
# valgrind reads the binary's debug information; a copy without it avoids its DWARF reader's limits.
objcopy --strip-debug "$bin/leopost" "$work/leopost-callgrind"
if ! probe=$(valgrind --tool=none "$work/leopost-callgrind" --help 2>&1 >/dev/null); then
  echo "callgrind: unavailable: $(valgrind --version) cannot run this build: $(echo "$probe" | grep -m 1 -E 'INTERNAL ERROR|impossible|Giving up' || echo "$probe" | tail -n 1)"
else
  callgrind_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  (bin=$work; mv "$work/leopost-callgrind" "$work/leopost"; run_gateway "$callgrind_port" valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out") &
  callgrind_pid=$!
  if wait_ready "$callgrind_port" 900; then
    count=300
    send() { python3 scripts/bench/send_requests.py "$@" --port "$callgrind_port" --count "$count"; }
    # Warm: the first requests load code, open connections and fill caches; they are not counted.
    send webhook --path "$hook_path" --secret "$hook_secret" --first 900000001 >/dev/null
    send get --path /healthz >/dev/null
    callgrind_control -z "$callgrind_pid" >/dev/null
    send webhook --path "$hook_path" --secret "$hook_secret" --first 910000001
    callgrind_control -d webhook "$callgrind_pid" >/dev/null
    send get --path /healthz
    callgrind_control -d healthz "$callgrind_pid" >/dev/null
    for part in webhook:"Telegram webhook accepted (gateway)" healthz:"GET /healthz (gateway)"; do
      file=$(grep -l "^desc: Trigger: Client Request: ${part%%:*}" "$work"/callgrind.out* | head -n 1)
      total=$(awk '/^(summary|totals):/ {print $2; exit}' "$file")
      echo "callgrind: ${part#*:}: $(printf "%'d" $((total / count))) instructions per request ($count requests, warmed up)"
    done
  else
    echo "callgrind: the gateway under valgrind did not become ready"
  fi
  kill "$callgrind_pid" 2>/dev/null && wait "$callgrind_pid" 2>/dev/null || true
  callgrind_pid=""
fi
redis-cli -p "$redis_port" DEL "$intake_stream" >/dev/null
summary
