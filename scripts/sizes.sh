#!/usr/bin/env bash
# Prints the sizes of the release site bundles (raw, gzip -9, brotli -q 11) and the server
# binary. Expects `cargo leptos build --release` to have run; installs the brotli CLI if absent.
set -euo pipefail
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HD_ROOT"
if ! command -v brotli >/dev/null; then
  echo "[sizes] installing: apt package brotli"
  SUDO=(); [ "$(id -u)" = 0 ] || SUDO=(sudo)
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends brotli >/dev/null
fi
printf '%-24s %10s %10s %10s\n' file raw gzip brotli
for f in target/site/pkg/*.wasm target/site/pkg/*.js target/site/pkg/*.css; do
  printf '%-24s %10d %10d %10d\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(gzip -9 -c "$f" | wc -c)" "$(brotli -q 11 -c "$f" | wc -c)"
done
printf '%-24s %10d\n' "server (binary)" "$(stat -c %s "$CARGO_TARGET_DIR/server-release/server")"
