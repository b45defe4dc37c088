#!/usr/bin/env bash
# The upload browser tests again with files in S3: moto's S3 server on a free port stands in for
# S3 (no S3-compatible server can be installed on this machine kind), and the release server
# stores through object_store's S3 client against it. Then checks that the files are in the
# bucket and not on the local disk. Expects scripts/build-release.sh to have run.
set -euo pipefail
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HD_ROOT"

s3_dir=$(mktemp -d)
s3_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
s3_url="http://127.0.0.1:$s3_port"
"$HD_CACHE/moto-venv/bin/moto_server" -H 127.0.0.1 -p "$s3_port" >"$s3_dir/moto.log" 2>&1 &
s3_pid=$!
stop_s3() {
  kill "$s3_pid" 2>/dev/null || true
  wait "$s3_pid" 2>/dev/null || true
  rm -rf "$s3_dir"
}
trap stop_s3 EXIT
for _ in $(seq 1 100); do
  curl -fsS "$s3_url/" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS -X PUT "$s3_url/hd-e2e" >/dev/null || {
  cat "$s3_dir/moto.log" >&2
  echo "[e2e-s3] moto's S3 server did not start" >&2
  exit 1
}

export HD_STORAGE_URL=s3://hd-e2e/store AWS_ENDPOINT="$s3_url" AWS_ALLOW_HTTP=true \
  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
# shellcheck source=scripts/serve-test.sh
. scripts/serve-test.sh
trap 'hd_stop_test_server; stop_s3' EXIT

status=0
(cd end2end && HD_E2E_BASE_URL="$HD_TEST_URL" npx playwright test upload.spec.ts) || status=$?
if [ "$status" != 0 ]; then
  echo "[e2e-s3] server log:" >&2
  tail -n 50 "$HD_TEST_WORK/server.log" >&2
  exit "$status"
fi

stored=$(curl -fsS "$s3_url/hd-e2e?list-type=2&prefix=store/files/" | grep -o '<Key>[^<]*</Key>' | wc -l)
if [ "$stored" -lt 2 ]; then
  echo "[e2e-s3] expected the uploaded files in the bucket, found $stored" >&2
  exit 1
fi
if [ -n "$(ls -A "$HD_TEST_WORK/data/files" 2>/dev/null)" ]; then
  echo "[e2e-s3] files were written to the local disk instead of S3" >&2
  exit 1
fi
echo "[e2e-s3] $stored files stored in S3 (moto), none on the local disk"
