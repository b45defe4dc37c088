#!/usr/bin/env bash
# A client generated from the running server's /openapi.json by openapi-python-client drives
# the sandbox lifecycle (end2end/client/lifecycle.py): sign-up, talent, task, invitation, quote,
# booking, check-in, upload, QA, acceptance and payout. A document a generator cannot read, or
# an answer the generated models cannot parse, fails it. Expects a release build.
set -euo pipefail
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HD_ROOT"
# shellcheck source=scripts/serve-test.sh
. scripts/serve-test.sh

venv="$HD_CACHE/client-venv"
curl -fsS "$HD_TEST_URL/openapi.json" -o "$HD_TEST_WORK/openapi.json"
printf 'project_name_override: hd-client\npackage_name_override: hd_client\n' >"$HD_TEST_WORK/client.yaml"
status=0
# Warnings (an operation it cannot generate, such as tus' binary PATCH) are printed, not fatal;
# the lifecycle imports what it uses, so a missing piece it needs fails at once.
"$venv/bin/openapi-python-client" generate --path "$HD_TEST_WORK/openapi.json" --config "$HD_TEST_WORK/client.yaml" \
  --meta none --output-path "$HD_TEST_WORK/client/hd_client" || status=$?
if [ "$status" = 0 ]; then
  PYTHONPATH="$HD_TEST_WORK/client" "$venv/bin/python" end2end/client/lifecycle.py "$HD_TEST_URL" || status=$?
fi
if [ "$status" != 0 ]; then
  echo "[api-client] server log:" >&2
  tail -n 30 "$HD_TEST_WORK/server.log" >&2
fi
exit "$status"
