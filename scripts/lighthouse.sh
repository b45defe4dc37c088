#!/usr/bin/env bash
# Lighthouse scores of every portal page (mobile) and dashboard page (desktop)
# (end2end/lighthouse.mjs), on the release build (run scripts/build-release.sh first) and a fresh
# database with one sandbox talent who is invited, booked and signed in, and the account's owner
# signed in to the dashboard. Prints a table; asserts nothing. HD_LH_ONLY=portal or dashboard
# scores one side only.
set -euo pipefail
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HD_ROOT"
# shellcheck source=scripts/serve-test.sh
. scripts/serve-test.sh

api() { # METHOD PATH BODY [TOKEN]
  curl -fsS -X "$1" "$HD_TEST_URL$2" -H 'content-type: application/json' ${4:+-H "authorization: Bearer $4"} -d "$3"
}
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
key=$(api POST /v1/developer/signup '{"name":"Lighthouse Agent","email":"lh-agent@example.com"}' | field "['api_key']")
created=$(api POST /v1/test_helpers/talent '{"name":"Ana Phone","email":"lh-ana@example.com"}' "$key")
talent=$(echo "$created" | field "['talent']['id']")
token=$(echo "$created" | field "['token']")
api POST /v1/test_helpers/billing/attach_card '{"card":"ok"}' "$key" >/dev/null
start=$(date -u -d '+70 minutes' +%Y-%m-%dT%H:%M:%SZ)
task() { # TITLE
  api POST /v1/tasks "{\"task_type\":\"PRODUCT_PHOTO_ECOMM\",\"title\":\"$1\",\"location\":{\"mode\":\"onsite\",\"address\":\"12 Hess St N, Hamilton ON\",\"lat\":43.2595,\"lng\":-79.8753},\"schedule\":{\"start_at\":\"$start\",\"duration_hours\":2},\"budget\":{\"currency\":\"CAD\",\"max_total\":300},\"task_spec\":{\"product_count\":3,\"background\":\"white\",\"angles\":[\"front\"]}}" "$key" | field "['id']"
}
booked=$(task 'Shelf photos')
open=$(task 'Spring catalogue')
api POST "/v1/tasks/$booked/quote_requests" "{\"talent_ids\":[\"$talent\"]}" "$key" >/dev/null
invitation=$(api POST "/v1/tasks/$open/quote_requests" "{\"talent_ids\":[\"$talent\"]}" "$key" | field "['invited'][0]['id']")
quote=$(api POST "/v1/talent/$talent/quote" "{\"task_id\":\"$booked\",\"amount\":250,\"message\":\"On it\"}" "$token" | field "['id']")
api POST "/v1/quotes/$quote/accept" '{}' "$key" >/dev/null
booking=$(api POST /v1/bookings "{\"quote_id\":\"$quote\"}" "$key" | field "['id']")

# shellcheck source=scripts/sign-in.sh
. scripts/sign-in.sh
# The talent as a phone would be, and the account's owner at a desk.
cookie=$(hd_sign_in portal lh-ana@example.com hd_signin_)
owner=$(hd_sign_in dashboard lh-agent@example.com hd_dashin_)

cd end2end
HD_LH_COOKIE="$cookie" HD_LH_PAGES="/portal/invitations/$invitation /portal/bookings/$booking /portal/profile /portal/payouts" \
  HD_LH_OWNER_COOKIE="$owner" HD_LH_DASHBOARD_PAGES="/dashboard /dashboard/tasks/$booked /dashboard/tasks/$open /dashboard/tasks/new /dashboard/tasks/new?template=RETAIL_AUDIT_PHOTO_CHECK /dashboard/money /dashboard/keys /dashboard/webhooks /dashboard/audit" \
  node lighthouse.mjs
