# Sourced by the scripts that need a running release server on a fresh database: starts it on
# a free port, waits for /healthz, and stops it on exit. Sets HD_TEST_URL and HD_TEST_WORK.
# The database is a new SQLite file unless HD_TEST_DATABASE_URL names another (empty) one.
# Extra environment for the server can be exported before sourcing.
# shellcheck shell=bash

HD_TEST_WORK=$(mktemp -d)
HD_TEST_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# A name, not an address: browsers take no IP address as a passkey's site.
HD_TEST_URL="http://localhost:$HD_TEST_PORT"
export HD_TEST_URL HD_TEST_WORK

LEPTOS_SITE_ADDR="127.0.0.1:$HD_TEST_PORT" LEPTOS_SITE_ROOT="$HD_ROOT/target/site" LEPTOS_ENV=PROD \
  HD_PUBLIC_URL="${HD_PUBLIC_URL:-$HD_TEST_URL}" \
  HD_DATA_DIR="$HD_TEST_WORK/data" DATABASE_URL="${HD_TEST_DATABASE_URL:-sqlite://$HD_TEST_WORK/data/test.db}" \
  "$CARGO_TARGET_DIR/server-release/server" >"$HD_TEST_WORK/server.log" 2>&1 &
HD_TEST_SERVER=$!

hd_stop_test_server() {
  kill "$HD_TEST_SERVER" 2>/dev/null || true
  wait "$HD_TEST_SERVER" 2>/dev/null || true
  rm -rf "$HD_TEST_WORK"
}
trap hd_stop_test_server EXIT

for _ in $(seq 1 100); do
  curl -fsS "$HD_TEST_URL/healthz" >/dev/null 2>&1 && break
  if ! kill -0 "$HD_TEST_SERVER" 2>/dev/null; then
    cat "$HD_TEST_WORK/server.log" >&2
    echo "the server exited before it answered /healthz" >&2
    exit 1
  fi
  sleep 0.1
done
curl -fsS "$HD_TEST_URL/healthz" >/dev/null || {
  cat "$HD_TEST_WORK/server.log" >&2
  echo "the server did not answer /healthz within 10 s" >&2
  exit 1
}
