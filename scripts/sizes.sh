#!/usr/bin/env bash
# Prints the sizes of the release site bundles (raw, gzip -9, brotli -q 11) and the server
# binary. Expects scripts/build-release.sh to have run (setup installs the brotli CLI).
set -euo pipefail
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HD_ROOT"
printf '%-24s %10s %10s %10s\n' file raw gzip brotli
for f in target/site/pkg/*.wasm target/site/pkg/*.js target/site/pkg/*.css; do
  printf '%-24s %10d %10d %10d\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(gzip -9 -c "$f" | wc -c)" "$(brotli -q 11 -c "$f" | wc -c)"
done
printf '%-24s %10d\n' "server (binary)" "$(stat -c %s "$CARGO_TARGET_DIR/server-release/server")"
