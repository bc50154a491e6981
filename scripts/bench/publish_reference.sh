#!/usr/bin/env bash
# PostgreSQL alone doing one publish job's statements (publish_reference.sql), with pgbench:
# 16 clients like the server's pool, 8 s each, as leopost_app under row-level security: unnamed
# statements (what Leopost sent before its statement cache), prepared and planned per execution
# (what it sends now), and prepared with generic plans (faster, but see PostgresStatementCache).
# The ceiling of the publish figure on this machine.
# Usage: publish_reference.sh LEOPOST_BINARY (inside scripts/with-test-servers.sh).
set -euo pipefail
leopost=$1
here=$(dirname "$0")
database="pubref_$(date +%s)_$$"
url="${LEOPOST_TEST_DATABASE_URL%/*}/$database"
psql -q "$LEOPOST_TEST_DATABASE_URL" -c "CREATE DATABASE $database"
trap 'psql -q "$LEOPOST_TEST_DATABASE_URL" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)"' EXIT
LEOPOST_DATABASE_URL="$url" LEOPOST_LOG_LEVEL=error "$leopost" migrate >/dev/null
# The same rows as the bench's: 20 tenants with a no-op account each, 5,000 confirmed posts with one target.
psql -q "$url" <<'SQL'
INSERT INTO tenants (tenant_id, name) SELECT md5('tenant' || t)::uuid, 'Reference ' || t FROM generate_series(0, 19) t;
INSERT INTO social_accounts (id, tenant_id, platform, account_name, sealed_tokens, account_id)
  SELECT gen_random_uuid(), md5('tenant' || t)::uuid, 'noop', 'default', decode(repeat('ab', 60), 'hex'), 'bench'
  FROM generate_series(0, 19) t;
INSERT INTO posts (id, tenant_id, text, status)
  SELECT md5('post' || n)::uuid, md5('tenant' || (n % 20))::uuid, 'Benchmark post number ' || n || '.', 'confirmed'
  FROM generate_series(1, 5000) n;
INSERT INTO post_targets (id, tenant_id, post_id, platform, status, idempotency_key, preview)
  SELECT md5('target' || n)::uuid, md5('tenant' || (n % 20))::uuid, md5('post' || n)::uuid, 'noop', 'queued', 'bench-' || n,
         '{"length": 30, "limit": 500, "counting": "characters", "problems": []}'::jsonb
  FROM generate_series(1, 5000) n;
SQL
run() {
  local label=$1 mode=$2 options=$3
  rate=$(PGOPTIONS="-c role=leopost_app $options" pgbench -n -M "$mode" -c 16 -j 2 -T 8 -f "$here/publish_reference.sql" "$url" 2>&1 |
    awk '/^tps = / { print int($3) }')
  echo "publish reference: PostgreSQL alone (pgbench, 16 clients, $label), one publish job's statements: $rate jobs/s"
}
run "unnamed statements" extended ""
run "prepared, planned per execution as Leopost runs them" prepared "-c plan_cache_mode=force_custom_plan"
run "prepared, generic plans" prepared ""
