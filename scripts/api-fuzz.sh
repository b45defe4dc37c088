#!/usr/bin/env bash
# Fuzzes the API from its own /openapi.json with schemathesis against the release server, with
# every check: no 5xx, no undocumented status or header, no response that breaks the documented
# schema, schema-valid requests accepted and schema-violating ones refused (scripts/
# schemathesis.toml names the three operations whose valid requests the schema can only partly
# describe); then the stateful phase follows the document's OpenAPI links from the responses
# that create something to the operations that take its id. Expects a release build.
# HD_FUZZ_SECONDS bounds the run (default 120). The tus PATCH is left out: schemathesis cannot
# write an application/offset+octet-stream body; the integration and browser tests cover it.
set -euo pipefail
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HD_ROOT"
# The fuzzer sends thousands of requests from one address with one key.
export HD_RATE_LIMIT_PER_MINUTE=1000000 HD_MONEY_RATE_LIMIT_PER_MINUTE=1000000 HD_SIGNUPS_PER_HOUR=1000000
# shellcheck source=scripts/serve-test.sh
. scripts/serve-test.sh

key=$(curl -fsS -X POST "$HD_TEST_URL/v1/developer/signup" -H 'content-type: application/json' \
  -d '{"name": "Schemathesis", "email": "fuzz@example.com"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')

status=0
# Run from the scratch directory: schemathesis keeps a cache in its working directory.
(cd "$HD_TEST_WORK" && "$HD_CACHE/venv/bin/schemathesis" --config-file "$HD_ROOT/scripts/schemathesis.toml" \
  run "$HD_TEST_URL/openapi.json" \
  --header "Authorization: Bearer $key" \
  --phases examples,coverage,fuzzing,stateful \
  --max-time "${HD_FUZZ_SECONDS:-120}" \
  --seed 20261130 \
  --exclude-operation-id patch_uploads_by_id \
  --no-color \
  --report-dir "$HD_TEST_WORK/report") || status=$?
if [ "$status" != 0 ]; then
  echo "[api-fuzz] server log:" >&2
  grep -E 'ERROR|panicked' "$HD_TEST_WORK/server.log" | tail -n 30 >&2 || true
fi
exit "$status"
