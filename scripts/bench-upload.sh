#!/usr/bin/env bash
# Upload throughput over loopback: one 256 MB file through the resumable endpoint (tus PATCH,
# one request, and in 8 MB chunks), next to a plain `cp` of the same bytes on the same disk.
# Release build, SQLite, files on local disk. Prints figures; asserts nothing.
set -euo pipefail
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HD_ROOT"
[ -x "$CARGO_TARGET_DIR/server-release/server" ] || scripts/build-release.sh
export HD_RATE_LIMIT_PER_MINUTE=100000000 HD_MONEY_RATE_LIMIT_PER_MINUTE=100000000 RUST_LOG=warn
# shellcheck source=scripts/serve-test.sh
. scripts/serve-test.sh

size_mb=${HD_BENCH_UPLOAD_MB:-256}
src="$HD_TEST_WORK/source.mp4"
# An MP4-looking file: the ftyp box, then random bytes.
{ printf '\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom'; head -c $((size_mb * 1024 * 1024 - 24)) /dev/urandom; } >"$src"
bytes=$(stat -c %s "$src")

post() { curl -fsS -X POST "$HD_TEST_URL$1" -H 'content-type: application/json' ${2:+-H "Authorization: Bearer $2"} -d "$3"; }
pyget() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
b64() { printf %s "$1" | base64 -w0; }

# A booked UGC job (video files up to 2 GB), so the upload is a talent's delivery.
key=$(post /v1/developer/signup "" '{"name": "Bench", "email": "bench@example.com"}' | pyget '["api_key"]')
talent=$(post /v1/test_helpers/talent "$key" '{}')
talent_id=$(pyget '["talent"]["id"]' <<<"$talent")
token=$(pyget '["token"]' <<<"$talent")
post /v1/test_helpers/billing/attach_card "$key" '{"card": "ok"}' >/dev/null
start=$(date -u -d '+3 days' +%Y-%m-%dT16:00:00Z)
task=$(post /v1/tasks "$key" "{\"task_type\": \"UGC_VERTICAL_BATCH\", \"title\": \"Bench clips\", \"location\": {\"mode\": \"remote\"},
  \"schedule\": {\"start_at\": \"$start\", \"duration_hours\": 2}, \"budget\": {\"currency\": \"CAD\", \"max_total\": 300},
  \"task_spec\": {\"clip_count\": 1, \"clip_length_seconds\": {\"min\": 15, \"max\": 45}, \"product_name\": \"B\", \"usage_rights\": \"organic\"}}" | pyget '["id"]')
post "/v1/tasks/$task/quote_requests" "$key" "{\"talent_ids\": [\"$talent_id\"]}" >/dev/null
quote=$(post "/v1/talent/$talent_id/quote" "$token" "{\"task_id\": \"$task\", \"amount\": 300, \"message\": \"ok\"}" | pyget '["id"]')
post "/v1/quotes/$quote/accept" "$key" '{}' >/dev/null
wo=$(post /v1/bookings "$key" "{\"quote_id\": \"$quote\"}" | pyget '["work_order_id"]')

create() {
  curl -fsS -D - -o /dev/null -X POST "$HD_TEST_URL/v1/uploads" -H "Authorization: Bearer $token" \
    -H 'Tus-Resumable: 1.0.0' -H "Upload-Length: $bytes" \
    -H "Upload-Metadata: filename $(b64 bench.mp4),filetype $(b64 video/mp4),work_order_id $(b64 "$wo")" |
    awk 'tolower($1) == "location:" {print $2}' | tr -d '\r'
}

echo "machine: $(nproc) cores; file: $bytes bytes"

t0=$(date +%s.%N)
cp "$src" "$HD_TEST_WORK/copy.mp4"
sync "$HD_TEST_WORK/copy.mp4"
t1=$(date +%s.%N)
python3 -c "print(f'cp:                  {$bytes/1e6/($t1-$t0):8.1f} MB/s')"

upload_one() {
  local location
  location=$(create)
  local t0 t1
  t0=$(date +%s.%N)
  curl -fsS -o /dev/null -X PATCH "$location" -H "Authorization: Bearer $token" -H 'Tus-Resumable: 1.0.0' \
    -H 'Upload-Offset: 0' -H 'Content-Type: application/offset+octet-stream' --data-binary @"$src"
  t1=$(date +%s.%N)
  python3 -c "print(f'tus, one PATCH:      {$bytes/1e6/($t1-$t0):8.1f} MB/s')"
}

upload_chunked() {
  local location chunk=$((8 * 1024 * 1024)) offset=0
  location=$(create)
  local t0 t1
  t0=$(date +%s.%N)
  while [ "$offset" -lt "$bytes" ]; do
    dd if="$src" bs="$chunk" skip=$((offset / chunk)) count=1 status=none |
      curl -fsS -o /dev/null -X PATCH "$location" -H "Authorization: Bearer $token" -H 'Tus-Resumable: 1.0.0' \
        -H "Upload-Offset: $offset" -H 'Content-Type: application/offset+octet-stream' --data-binary @-
    offset=$((offset + chunk))
    [ "$offset" -gt "$bytes" ] && offset=$bytes
  done
  t1=$(date +%s.%N)
  python3 -c "print(f'tus, 8 MB PATCHes:   {$bytes/1e6/($t1-$t0):8.1f} MB/s')"
}

upload_one
upload_chunked
