#!/usr/bin/env bash
# Sets the machine up, builds a release and serves HumanDispatch on its embedded defaults:
# SQLite under ./data, sandbox payments, mail to files, files on disk.
# http://localhost:3000 unless LEPTOS_SITE_ADDR (and HD_PUBLIC_URL) say otherwise: the public
# URL is a name, because browsers take no IP address as a passkey's site.
set -euo pipefail
"$(dirname "${BASH_SOURCE[0]}")/setup.sh"
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HD_ROOT"

hd_step "release build"
scripts/build-release.sh

addr=${LEPTOS_SITE_ADDR:-127.0.0.1:3000}
export HD_PUBLIC_URL="${HD_PUBLIC_URL:-http://localhost:${addr##*:}}"
hd_step "serving on $HD_PUBLIC_URL"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$HD_ROOT/target/site}"
export LEPTOS_ENV="${LEPTOS_ENV:-PROD}"
exec "$CARGO_TARGET_DIR/server-release/server"
