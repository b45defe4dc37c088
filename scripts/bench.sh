#!/usr/bin/env bash
# Load figures for the API on the release build, on SQLite and then on PostgreSQL: req/s and
# latency percentiles of GET /healthz (the base), GET /v1/tasks/:id and POST /v1/tasks, with wrk
# (installed from Debian if absent), each with the ratio to /healthz in the same run. Rate
# limits are raised for the run but still counted, in the store each database uses by default
# (in the process on SQLite, in the database on PostgreSQL; HD_RATE_LIMIT_STORE overrides).
# Prints figures; asserts nothing.
#   HD_BENCH_SECONDS (default 15), HD_BENCH_CONNECTIONS (default 32), HD_BENCH_THREADS (default 2)
#   HD_BENCH_DATABASES (default "sqlite postgres"), HD_BENCH_PG (default
#   postgres://postgres@127.0.0.1:5432/postgres: a database is created there for the run)
set -euo pipefail
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HD_ROOT"
if ! command -v wrk >/dev/null; then
  echo "[bench] installing: apt package wrk"
  SUDO=(); [ "$(id -u)" = 0 ] || SUDO=(sudo)
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
[ -x "$CARGO_TARGET_DIR/server-release/server" ] || scripts/build-release.sh
export HD_RATE_LIMIT_PER_MINUTE=100000000 HD_MONEY_RATE_LIMIT_PER_MINUTE=100000000 RUST_LOG=warn

# One run per database, each in its own process (serve-test.sh stops its server on exit).
if [ -z "${HD_BENCH_DB:-}" ]; then
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); server and wrk share them"
  for db in ${HD_BENCH_DATABASES:-sqlite postgres}; do
    HD_BENCH_DB=$db "$0"
  done
  exit 0
fi
if [ "$HD_BENCH_DB" = postgres ]; then
  admin=${HD_BENCH_PG:-postgres://postgres@127.0.0.1:5432/postgres}
  name="hd_bench_$(date +%s)_$$"
  psql -q "$admin" -c "CREATE DATABASE $name"
  HD_TEST_DATABASE_URL="${admin%/*}/$name"
  export HD_TEST_DATABASE_URL
fi
# shellcheck source=scripts/serve-test.sh
. scripts/serve-test.sh
if [ "$HD_BENCH_DB" = postgres ]; then
  trap 'hd_stop_test_server; psql -q "$admin" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
fi

seconds=${HD_BENCH_SECONDS:-15}
conns=${HD_BENCH_CONNECTIONS:-32}
threads=${HD_BENCH_THREADS:-2}
KEY=$(curl -fsS -X POST "$HD_TEST_URL/v1/developer/signup" -H 'content-type: application/json' \
  -d '{"name": "Bench", "email": "bench@example.com"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')
START=$(date -u -d '+30 days' +%Y-%m-%dT16:00:00Z)
export KEY START
TASK=$(curl -fsS -X POST "$HD_TEST_URL/v1/tasks" -H 'content-type: application/json' -H "Authorization: Bearer $KEY" \
  -d "$(python3 - <<PY
import json, os
print(json.dumps({"task_type": "PRODUCT_PHOTO_ECOMM", "title": "Bench task",
  "location": {"mode": "onsite", "address": "12 Hess St N, Hamilton ON"},
  "schedule": {"start_at": os.environ["START"], "duration_hours": 3},
  "budget": {"currency": "CAD", "max_total": 300},
  "task_spec": {"product_count": 10, "background": "white", "angles": ["front"]}}))
PY
)" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

# The store the server picks (config.rs): as set, else Redis when named, else by database.
store=${HD_RATE_LIMIT_STORE:-}
[ -n "$store" ] || { [ -n "${HD_REDIS_URL:-}" ] && store=redis; }
case "$HD_BENCH_DB" in
  postgres) echo "PostgreSQL (pool of 10), rate limits in ${store:-database}, release build, wrk -t$threads -c$conns -d${seconds}s" ;;
  *) echo "SQLite (WAL, one connection), rate limits in ${store:-memory}, release build, wrk -t$threads -c$conns -d${seconds}s" ;;
esac
run() {
  local name=$1
  shift
  local out
  out=$(wrk -t"$threads" -c"$conns" -d"${seconds}s" --latency "$@")
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  local ratio=""
  if [ -n "${base:-}" ]; then
    ratio=$(python3 -c "print(f'{$rps / $base:.2f}x of /healthz')")
  else
    base=$rps
  fi
  printf '%-22s %10s req/s   p50 %8s   p99 %8s   non-2xx %s   %s\n' "$name" "$rps" "$p50" "$p99" "${non2xx:-0}" "$ratio"
}
run "GET /healthz" "$HD_TEST_URL/healthz"
run "GET /v1/tasks/:id" -s bench/get_with_key.lua "$HD_TEST_URL/v1/tasks/$TASK"
run "POST /v1/tasks" -s bench/post_task.lua "$HD_TEST_URL/v1/tasks"
