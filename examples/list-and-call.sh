#!/usr/bin/env bash
# List your connected Amazon accounts with an API key, then read the first SP-API seller's recent
# orders (getOrders) through the sellersync proxy. The same as list-and-call.ts, with curl only:
# no jq, no node, no python (with jq, the greps below are one-liners such as
# `jq -r '.accounts[] | select(.provider == "sp_api") | .id'`).
#
#   SELLERSYNC_URL=https://sellersync.example.com SELLERSYNC_API_KEY=ak_… bash examples/list-and-call.sh
#
# The key needs the scopes `accounts:read` (the list) and `amazon:proxy` (the Amazon call).
set -euo pipefail

: "${SELLERSYNC_URL:?Set SELLERSYNC_URL (e.g. http://localhost:8787)}"
: "${SELLERSYNC_API_KEY:?Set SELLERSYNC_API_KEY (ak_…)}"
DAYS=7

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# call URL: the body goes to $tmp/body, the headers to $tmp/headers; prints the HTTP status.
call() {
  curl -sS -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' \
    -H "Authorization: Bearer $SELLERSYNC_API_KEY" "$1"
}

# field NAME: the first "NAME":"value" in the text on stdin.
field() { grep -o "\"$1\":\"[^\"]*\"" | head -n 1 | cut -d '"' -f 4; }

# fail WHAT STATUS: prints the API's error ({"error":{"code","message","details"?}}) and stops.
fail() {
  code=$(field code <"$tmp/body" || true)
  echo "$1: HTTP $2${code:+ $code: $(field message <"$tmp/body")}" >&2
  exit 1
}

# 1. The accounts: {"accounts":[{"id":…,"provider":…,"status":…,…,"token":{…}},…]}. Starting a new line
#    before every "id" gives one account per line (an account's nested objects have no "id"; its own
#    fields come before its token's "status").
status=$(call "$SELLERSYNC_URL/api/accounts")
[ "$status" = 200 ] || fail 'GET /api/accounts' "$status"
body=$(cat "$tmp/body") nl=$'\n'
accounts=$(grep '^"id":' <<<"${body//\"id\":/$nl\"id\":}" || true)
echo "accounts: $(grep -c . <<<"$accounts" || true)"
seller=''
while IFS= read -r account; do
  [ -n "$account" ] || continue
  provider=$(field provider <<<"$account") status=$(field status <<<"$account")
  default=$(grep -q '"is_default":true' <<<"$account" && echo ' (default)' || true)
  echo "  $(field id <<<"$account")  $provider $(field region <<<"$account") $(field external_id <<<"$account") $status$default"
  # The first active SP-API account is the one we call.
  if [ -z "$seller" ] && [ "$provider" = sp_api ] && [ "$status" = active ]; then seller=$account; fi
done <<<"$accounts"

if [ -z "$seller" ]; then
  echo 'no active SP-API account: connect one on the dashboard first'
  exit 0
fi
id=$(field id <<<"$seller")
external_id=$(field external_id <<<"$seller")
# "marketplaces":["ATVPDKIKX0DER","A2EUQ1WTGCTBG2"] → ATVPDKIKX0DER,A2EUQ1WTGCTBG2
marketplaces=$(grep -o '"marketplaces":\[[^]]*\]' <<<"$seller" | sed 's/.*\[//; s/\]//; s/"//g')

# 2. getOrders through the proxy: the marketplaces (up to 50) and a start date (GNU date, else BSD date).
created_after=$(date -u -d "-$DAYS days" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -v "-${DAYS}d" +%Y-%m-%dT%H:%M:%SZ)
url="$SELLERSYNC_URL/api/amazon/$id/orders/v0/orders?MarketplaceIds=$marketplaces&CreatedAfter=$created_after"
status=$(call "$url")
if [ "$status" = 429 ]; then
  # amazon_rate_limited: the seller's getOrders bucket is empty. Retry-After says when the next call can
  # go; honoured once, then we give up.
  seconds=$(grep -i '^retry-after:' "$tmp/headers" | tr -dc '0-9' || true)
  echo "rate limited ($(field code <"$tmp/body")): retrying in ${seconds:-60} s"
  sleep "${seconds:-60}"
  status=$(call "$url")
fi
case "$status" in 2??) ;; *) fail getOrders "$status" ;; esac

# Amazon's answer as sent: {"payload":{"Orders":[…],"NextToken"?:…}}. One AmazonOrderId per order.
count=$({ grep -o '"AmazonOrderId":"[^"]*"' "$tmp/body" || true; } | wc -l | tr -d ' ')
more=$(grep -q '"NextToken"' "$tmp/body" && echo ' (first page; more with NextToken)' || true)
echo "seller $external_id ($id), marketplaces $marketplaces"
echo "orders: $count since $created_after$more"
{ grep -o '"OrderStatus":"[^"]*"' "$tmp/body" || true; } | cut -d '"' -f 4 | sort | uniq -c | while read -r n order_status; do
  echo "  $order_status: $n"
done
