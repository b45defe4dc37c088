# Sourced by every script: one place for the paths the build and the tests share.
# shellcheck shell=bash

HD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export HD_ROOT

# Build artefacts live outside the clone, so a fresh clone (CI) still builds warm.
export HD_CACHE="${HD_CACHE:-$HOME/.cache/humandispatch}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HD_CACHE/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

# cargo-leptos looks for tailwindcss, wasm-opt and wasm-bindgen on PATH before it tries (and,
# offline, fails) to download them.
export PATH="$HD_ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# When setup had to fall back to Debian's Rust (rustup could not fetch the wasm32 std), it
# records the toolchain to use here; every build must then use that one toolchain.
if [ -f "$HD_CACHE/toolchain.env" ]; then
  # shellcheck disable=SC1091
  . "$HD_CACHE/toolchain.env"
fi

hd_step() { printf '\n=== %s\n' "$*"; }
