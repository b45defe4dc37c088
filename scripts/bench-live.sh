#!/usr/bin/env bash
# The delay from an event to its appearance on an open dashboard page (end2end/live-latency.mjs),
# on the release build (run scripts/build-release.sh first) and a fresh SQLite database. The
# general rate limit is raised so that the 100 posts are not refused. Prints figures; asserts
# nothing.
set -euo pipefail
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HD_ROOT"
export HD_RATE_LIMIT_PER_MINUTE=100000
# shellcheck source=scripts/serve-test.sh
. scripts/serve-test.sh

key=$(curl -fsS -X POST "$HD_TEST_URL/v1/developer/signup" -H 'content-type: application/json' \
  -d '{"name":"Live Bench","email":"live-bench@example.com"}' | python3 -c "import json,sys; print(json.load(sys.stdin)['api_key'])")
# shellcheck source=scripts/sign-in.sh
. scripts/sign-in.sh
owner=$(hd_sign_in dashboard live-bench@example.com hd_dashin_)
cd end2end
HD_LH_OWNER_COOKIE="$owner" HD_BENCH_KEY="$key" node live-latency.mjs
