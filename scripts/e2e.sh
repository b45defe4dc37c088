#!/usr/bin/env bash
# Browser tests: starts the release server on a free port and a fresh database, runs the
# playwright suite in end2end/ against it in Debian's chromium, and stops the server.
# Expects scripts/build-release.sh to have run. Arguments go to `playwright test`.
set -euo pipefail
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HD_ROOT"
# Every browser test signs up and signs in from 127.0.0.1: the per-address limits would
# refuse the suite's later tests (the limits have their own server tests).
export HD_SIGNUPS_PER_HOUR=100000 HD_SIGN_INS_PER_HOUR=100000 HD_RATE_LIMIT_PER_MINUTE=100000
# The webhooks test's receiver listens on loopback, which a real installation refuses.
export HD_WEBHOOKS_ALLOW_PRIVATE=true
# shellcheck source=scripts/serve-test.sh
. scripts/serve-test.sh

status=0
(cd end2end && HD_E2E_BASE_URL="$HD_TEST_URL" HD_E2E_MAIL_DIR="$HD_TEST_WORK/data/mail" npx playwright test "$@") || status=$?
if [ "$status" != 0 ]; then
  echo "[e2e] server log:" >&2
  tail -n 50 "$HD_TEST_WORK/server.log" >&2
fi
exit "$status"
