#!/usr/bin/env bash
# Sets the machine up and runs every test: lints, unit and integration tests on SQLite, the
# integration suite again on PostgreSQL (always under CI=true; elsewhere when TEST_DATABASE_URL
# is set), then schemathesis and the browser tests against a release build (the upload tests
# twice: files on local disk, then in S3 served by moto).
set -euo pipefail
"$(dirname "${BASH_SOURCE[0]}")/setup.sh"
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HD_ROOT"
export RUST_BACKTRACE="${RUST_BACKTRACE:-0}"

if [ "${CI:-}" = true ] && [ -z "${TEST_DATABASE_URL:-}" ]; then
  export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres
fi

hd_step "format and lints"
cargo fmt --all --check
cargo clippy --all-targets -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

hd_step "unit and integration tests on SQLite"
env -u TEST_DATABASE_URL cargo nextest run --no-fail-fast

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  hd_step "integration tests on PostgreSQL"
  cargo nextest run --no-fail-fast -E 'package(server) and kind(test)'
else
  echo "(PostgreSQL suite skipped: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres to run it)"
fi

hd_step "release build"
scripts/build-release.sh

hd_step "API fuzzing (schemathesis against /openapi.json, every check)"
scripts/api-fuzz.sh

hd_step "a client generated from /openapi.json drives the sandbox lifecycle"
scripts/api-client.sh

hd_step "browser tests"
scripts/e2e.sh

hd_step "browser upload tests with files in S3 (moto)"
scripts/e2e-s3.sh
