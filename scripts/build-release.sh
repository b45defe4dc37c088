#!/usr/bin/env bash
# The release build: `cargo leptos build --release` (the server, and the wasm, js and css with
# content hashes in their names), then each of those files compressed once, here, with brotli
# (quality 11) and gzip (-9) beside it, so that the server sends the smallest form a browser
# takes without compressing anything per request. The upload widget (frontend/uploads/, Uppy)
# and the passkey script (frontend/passkeys/) are bundled with esbuild into the same
# directory, each named by its content's hash.
set -euo pipefail
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HD_ROOT"
cargo leptos build --release
pkg="$HD_ROOT/target/site/pkg"
# Bundles of earlier builds (other hashes) are no longer named by any page.
hashes="$CARGO_TARGET_DIR/server-release/hash.txt"
[ -f "$hashes" ] || { echo "[build] cargo-leptos wrote no $hashes (hash-files is on in Cargo.toml)" >&2; exit 1; }
for f in "$pkg"/*; do
  case "$f" in *.br | *.gz) continue ;; esac
  name=$(basename "$f")
  hash=$(echo "$name" | sed -n 's/^humandispatch\.\([^.]*\)\.[a-z]*$/\1/p')
  if [ -n "$hash" ] && ! grep -q ": $hash\$" "$hashes"; then rm -f "$f" "$f.br" "$f.gz"; fi
done
# The upload widget (one bundle of Uppy and our glue, a script and its stylesheet) and the
# passkey ceremonies' script.
bundle=$(mktemp -d)
trap 'rm -rf "$bundle"' EXIT
"$HD_ROOT/node_modules/.bin/esbuild" frontend/uploads/uploads.js frontend/passkeys/passkeys.js --bundle --minify \
  --format=iife --target=es2020 --log-level=warning --outdir="$bundle" --entry-names='[name]'
rm -f "$pkg"/uploads.* "$pkg"/passkeys.*
for file in uploads.js uploads.css passkeys.js; do
  hash=$(sha256sum "$bundle/$file" | cut -c1-16)
  cp "$bundle/$file" "$pkg/${file%.*}.$hash.${file##*.}"
done
for f in "$pkg"/*.wasm "$pkg"/*.js "$pkg"/*.css; do
  [ -e "$f" ] || continue
  [ "$f.br" -nt "$f" ] || brotli -q 11 -f -k "$f"
  [ "$f.gz" -nt "$f" ] || gzip -9 -f -k "$f"
done
