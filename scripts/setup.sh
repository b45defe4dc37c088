#!/usr/bin/env bash
# Prepares this machine kind (Debian 12, rustup's stable Rust, Node.js; no access to GitHub) to
# build, run and test HumanDispatch. Idempotent: every step checks first and skips what is
# there, so the run and test commands call it every time. Run as root, or as a user with sudo.
#
# What it installs, and from where (see docs/TOOLCHAIN.md for why):
#   apt    chromium (browser tests), pkg-config + libssl-dev (native crates), brotli (the
#          site's files are compressed when built); node/npm and
#          python3-venv only when the machine lacks them
#   rustup the wasm32-unknown-unknown std; when rustup cannot fetch it, Debian's rustc-web 1.96
#          unpacked under $HD_CACHE with a wasm32 std built from Debian's rust-web-src
#   cargo  cargo-leptos 0.3.11, wasm-bindgen-cli = the version in Cargo.lock, cargo-nextest
#   npm    tailwindcss 4 + binaryen 132 (wasm-opt), esbuild and the portal's Uppy packages at the
#          root; playwright, tus-js-client and uppy in end2end/
#   pip    schemathesis in $HD_CACHE/venv (API fuzzing against /openapi.json); moto[server] in
#          $HD_CACHE/moto-venv (a local S3 for the storage tests); openapi-python-client and
#          Pillow in $HD_CACHE/client-venv (a generated client drives the sandbox lifecycle)
set -euo pipefail
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HD_ROOT"

CARGO_LEPTOS_VERSION=0.3.11
ok() { echo "[setup] ok: $*"; }
doing() { echo "[setup] installing: $*"; }
missing() {
  echo "[setup] FAILED: $*" >&2
  exit 1
}
mkdir -p "$HD_CACHE"

SUDO=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || missing "apt-get needs root: run as root or install sudo"
  SUDO=(sudo)
fi

# Each tool is built in its own target directory, so an interrupted install resumes warm.
cargo_install() {
  local name=$1
  shift
  CARGO_TARGET_DIR="$HD_CACHE/install-target/$name" "$@" || missing "cargo install of $name (command: $*)"
}

# --- 1. Debian packages ------------------------------------------------------------------
APT_PACKAGES=(chromium pkg-config libssl-dev ca-certificates curl brotli)
command -v node >/dev/null && command -v npm >/dev/null || APT_PACKAGES+=(nodejs npm)
command -v python3 >/dev/null && python3 -m venv --help >/dev/null 2>&1 || APT_PACKAGES+=(python3 python3-venv)
absent=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || absent+=("$p")
done
if [ ${#absent[@]} -gt 0 ]; then
  doing "apt packages: ${absent[*]}"
  "${SUDO[@]}" apt-get update -qq || missing "apt-get update (is a Debian mirror reachable?)"
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${absent[@]}" \
    || missing "apt packages: ${absent[*]}"
else
  ok "apt packages (${APT_PACKAGES[*]})"
fi
[ -x /usr/bin/chromium ] || missing "/usr/bin/chromium (apt package chromium)"
command -v cargo >/dev/null || missing "cargo: this machine kind ships rustup's stable toolchain; it is not on PATH"
command -v rustup >/dev/null || missing "rustup"
command -v node >/dev/null || missing "node (apt package nodejs)"

# --- 2. wasm32 standard library for the compiler the build uses ----------------------------
has_wasm_std() {
  local sysroot
  sysroot=$(rustc --print sysroot 2>/dev/null) || return 1
  compgen -G "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib/libstd-*.rlib" >/dev/null
}

debian_rust() {
  # Debian's rustc-web 1.96, unpacked (not installed: nothing lands in /usr/bin), linked into
  # rustup as `debian-web`, with a wasm32 std built from Debian's own rust-web-src.
  local dr="$HD_CACHE/debian-rust" d
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends \
    libgit2-1.5 libcurl4 libssh2-1 libsqlite3-0 libz3-4 libedit2 libxml2 libffi8 libzstd1 >/dev/null \
    || missing "runtime libraries for Debian's rustc-web"
  if [ ! -x "$dr/usr/bin/rustc" ]; then
    doing "Debian rustc-web 1.96 into $dr"
    d=$(mktemp -d)
    (cd "$d" && apt-get download rustc-web cargo-web libstd-rust-web-dev libstd-rust-web-1.96 \
      rust-web-src libllvm22 lld-22) || missing "Debian packages rustc-web cargo-web libstd-rust-web-dev rust-web-src libllvm22 lld-22"
    mkdir -p "$dr"
    for f in "$d"/*.deb; do dpkg-deb -x "$f" "$dr"; done
    rm -rf "$d"
  fi
  export LD_LIBRARY_PATH="$dr/usr/lib/x86_64-linux-gnu:$dr/usr/lib/llvm-22/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  rustup toolchain link debian-web "$dr/usr" || missing "rustup toolchain link debian-web"
  local sr="$dr/usr"
  mkdir -p "$sr/lib/rustlib/x86_64-unknown-linux-gnu/bin"
  ln -sf "$sr/lib/llvm-22/bin/lld" "$sr/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld"
  if ! compgen -G "$sr/lib/rustlib/wasm32-unknown-unknown/lib/libstd-*.rlib" >/dev/null; then
    doing "wasm32 std built from Debian's rust-web-src (a few minutes)"
    d=$(mktemp -d)
    mkdir -p "$d/src"
    printf '[package]\nname="stdbuild"\nversion="0.1.0"\nedition="2021"\n[lib]\ncrate-type=["cdylib"]\n' >"$d/Cargo.toml"
    echo '#[no_mangle] pub extern "C" fn f() -> usize { vec![1u8].len() }' >"$d/src/lib.rs"
    (cd "$d" && CARGO_TARGET_DIR="$d/target" RUSTC_BOOTSTRAP=1 cargo +debian-web build \
      -Zbuild-std=std,panic_abort --target wasm32-unknown-unknown --release) \
      || missing "building the wasm32 std from Debian's rust-web-src"
    mkdir -p "$sr/lib/rustlib/wasm32-unknown-unknown/lib"
    cp "$d"/target/wasm32-unknown-unknown/release/deps/lib*.rlib "$sr/lib/rustlib/wasm32-unknown-unknown/lib/"
    rm -f "$sr"/lib/rustlib/wasm32-unknown-unknown/lib/libstdbuild*.rlib
    rm -rf "$d"
  fi
  cat >"$HD_CACHE/toolchain.env" <<EOF
# Written by scripts/setup.sh: rustup could not fetch the wasm32 std, so every build uses
# Debian's rustc-web. Delete this file (and rerun setup) to go back to rustup's toolchain.
export RUSTUP_TOOLCHAIN=debian-web
export LD_LIBRARY_PATH="$dr/usr/lib/x86_64-linux-gnu:$dr/usr/lib/llvm-22/lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
EOF
  export RUSTUP_TOOLCHAIN=debian-web
}

# HD_FORCE_DEBIAN_RUST=1 takes the Debian route even where rustup would work (to test it).
force_debian=${HD_FORCE_DEBIAN_RUST:-0}
if [ "$force_debian" != 1 ] && has_wasm_std; then
  ok "wasm32 std for $(rustc --version)"
elif [ "$force_debian" != 1 ] && doing "wasm32 std (rustup target add)" \
  && rustup target add wasm32-unknown-unknown && has_wasm_std; then
  ok "wasm32 std for $(rustc --version)"
else
  echo "[setup] rustup could not provide the wasm32 std; falling back to Debian's Rust"
  debian_rust
  has_wasm_std || missing "wasm32 std for $(rustc --version)"
  ok "wasm32 std for $(rustc --version) (Debian)"
fi

# --- 3. cargo-leptos -------------------------------------------------------------------
if cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  ok "cargo-leptos $CARGO_LEPTOS_VERSION"
else
  doing "cargo-leptos $CARGO_LEPTOS_VERSION (10-50 minutes on 2 cores)"
  # Its locked dependencies need rustc >= 1.96; stable here is 1.95.
  toolchain=() locked=(--locked)
  if rustup toolchain list | grep -q '^nightly'; then
    toolchain=(+nightly)
  elif rustup toolchain install 1.96.0 --profile minimal; then
    toolchain=(+1.96.0)
  elif [ "${RUSTUP_TOOLCHAIN:-}" = debian-web ]; then
    toolchain=() # Debian's 1.96, already selected
  else
    locked=() # let cargo pick versions this compiler accepts
    export CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback
  fi
  cargo_install cargo-leptos env CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo "${toolchain[@]}" install "${locked[@]}" --force cargo-leptos@"$CARGO_LEPTOS_VERSION"
  cargo leptos --version | grep -q "$CARGO_LEPTOS_VERSION" || missing "cargo-leptos $CARGO_LEPTOS_VERSION after install"
fi

# --- 4. wasm-bindgen CLI of exactly the version in Cargo.lock ----------------------------
WBG=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
[ -n "$WBG" ] || missing "wasm-bindgen version in Cargo.lock"
if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WBG" ]; then
  ok "wasm-bindgen-cli $WBG"
else
  doing "wasm-bindgen-cli $WBG (about 10-20 minutes)"
  # Not --locked: its lockfile wants a webpki-roots this registry does not serve.
  cargo_install wasm-bindgen-cli cargo install --force wasm-bindgen-cli@"$WBG"
  [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WBG" ] || missing "wasm-bindgen-cli $WBG after install"
fi

# --- 5. cargo-nextest --------------------------------------------------------------------
if cargo nextest --version >/dev/null 2>&1; then
  ok "$(cargo nextest --version | head -n1)"
else
  doing "cargo-nextest"
  cargo_install cargo-nextest cargo install --locked cargo-nextest
fi

# --- 6. npm packages -----------------------------------------------------------------------
npm_ci() {
  local dir=$1 stamp want name
  name=${dir#"$HD_ROOT"}
  name=${name#/}
  name=${name:-.}
  stamp="$dir/node_modules/.humandispatch-lock"
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    ok "npm packages in $name"
  else
    doing "npm packages in $name"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || missing "npm ci in $dir"
    echo "$want" >"$stamp"
  fi
}
npm_ci "$HD_ROOT"
npm_ci "$HD_ROOT/end2end"

# --- 7. Python tools -----------------------------------------------------------------------
VENV="$HD_CACHE/venv"
SCHEMATHESIS_VERSION=$(cat "$HD_ROOT/scripts/schemathesis.version")
if [ -x "$VENV/bin/schemathesis" ] && "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  ok "schemathesis $SCHEMATHESIS_VERSION"
else
  doing "schemathesis $SCHEMATHESIS_VERSION into $VENV"
  python3 -m venv "$VENV" || missing "python3 venv (apt package python3-venv)"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" \
    || missing "pip install schemathesis==$SCHEMATHESIS_VERSION"
fi

# moto's S3 server stands in for S3 in the storage tests (no S3-compatible server can be
# installed here); its own venv keeps its dependencies apart from schemathesis'.
MOTO_VERSION=5.2.5
MOTO_VENV="$HD_CACHE/moto-venv"
# grep reads all of pip's output: with -q it would stop at the match, pip would die of SIGPIPE,
# and pipefail would call the installed moto missing (a reinstall on every run).
if [ -x "$MOTO_VENV/bin/moto_server" ] && "$MOTO_VENV/bin/pip" show moto 2>/dev/null | grep -x "Version: $MOTO_VERSION" >/dev/null; then
  ok "moto[server] $MOTO_VERSION"
else
  doing "moto[server] $MOTO_VERSION into $MOTO_VENV"
  python3 -m venv "$MOTO_VENV" || missing "python3 venv (apt package python3-venv)"
  "$MOTO_VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" \
    || missing "pip install moto[server]==$MOTO_VERSION"
fi

# A client generated from /openapi.json by a common generator drives the sandbox lifecycle
# (scripts/api-client.sh); Pillow draws the photos it delivers. Its own venv, like moto's.
CLIENT_GENERATOR_VERSION=0.29.1
PILLOW_VERSION=13.0.0
CLIENT_VENV="$HD_CACHE/client-venv"
if [ -x "$CLIENT_VENV/bin/openapi-python-client" ] \
  && "$CLIENT_VENV/bin/openapi-python-client" --version 2>/dev/null | grep -F "$CLIENT_GENERATOR_VERSION" >/dev/null \
  && "$CLIENT_VENV/bin/pip" show pillow 2>/dev/null | grep -x "Version: $PILLOW_VERSION" >/dev/null; then
  ok "openapi-python-client $CLIENT_GENERATOR_VERSION, Pillow $PILLOW_VERSION"
else
  doing "openapi-python-client $CLIENT_GENERATOR_VERSION and Pillow $PILLOW_VERSION into $CLIENT_VENV"
  python3 -m venv "$CLIENT_VENV" || missing "python3 venv (apt package python3-venv)"
  "$CLIENT_VENV/bin/pip" install --quiet --disable-pip-version-check \
    "openapi-python-client==$CLIENT_GENERATOR_VERSION" "pillow==$PILLOW_VERSION" \
    || missing "pip install openapi-python-client==$CLIENT_GENERATOR_VERSION pillow==$PILLOW_VERSION"
fi

# --- 8. Everything cargo-leptos and the tests will look for ------------------------------------
for tool in tailwindcss wasm-opt wasm-bindgen cargo-leptos; do
  command -v "$tool" >/dev/null || missing "$tool on PATH"
done
echo "[setup] done"
