# Sourced by the benchmark scripts, after scripts/serve-test.sh: `hd_sign_in SIDE EMAIL PREFIX`
# asks for a sign-in link to the portal or the dashboard, reads it from the mail the server wrote
# and prints the session cookie the link gives.
# shellcheck shell=bash

hd_sign_in() { # SIDE EMAIL PREFIX
  curl -fsS -X POST "$HD_TEST_URL/api/$1/sign_in" -H 'accept: application/json' -d "email=$2" >/dev/null
  local link=""
  for _ in $(seq 1 50); do
    link=$(python3 - "$HD_TEST_WORK/data/mail" "$3" <<'PY'
import pathlib, quopri, re, sys
for f in pathlib.Path(sys.argv[1]).glob("*.eml"):
    m = re.search(rb"token=" + sys.argv[2].encode() + rb"[A-Za-z0-9]+", quopri.decodestring(f.read_bytes()))
    if m:
        print(m.group().decode())
        break
PY
)
    [ -n "$link" ] && break
    sleep 0.2
  done
  [ -n "$link" ] || { echo "no $1 sign-in mail arrived" >&2; exit 1; }
  local cookie
  cookie=$(curl -fsS -o /dev/null -D - -X POST "$HD_TEST_URL/api/$1/sign_in/complete" -H 'accept: application/json' \
    -d "${link}" | sed -n 's/^set-cookie: \(hd_session=[^;]*\).*/\1/ip' | head -n1)
  [ -n "$cookie" ] || { echo "signing in to the $1 gave no session cookie" >&2; exit 1; }
  echo "$cookie"
}
