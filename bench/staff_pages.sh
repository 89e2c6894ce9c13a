#!/usr/bin/env bash
# Times the staff's target list pages on a store that already holds the million targets:
#   bash bench/staff_pages.sh DB_URL
# Signs in as the account `bench` (made here if missing) through the sign-in form, then asks
# each page 5 times with curl and prints the median in milliseconds.
set -euo pipefail
cd "$(dirname "$0")/.."
db=$1
suiji=target/release/suiji
addr=127.0.0.1:8098
echo "bench-password-2026" | "$suiji" user add bench --role organizer --password-stdin --db "$db" > /dev/null 2>&1 || true
"$suiji" serve --db "$db" --addr "$addr" > /tmp/suiji-bench-staff.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until grep -q "serving" /tmp/suiji-bench-staff.log 2>/dev/null; do sleep 0.2; done
jar=$(mktemp)
csrf=$(curl -fsS -c "$jar" -b "$jar" "http://$addr/login" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -fsS -c "$jar" -b "$jar" -o /dev/null --data-urlencode "csrf=$csrf" \
  --data "username=bench&password=bench-password-2026&next=/staff/targets" "http://$addr/login"
page() { # label path
  local times=()
  for _ in 1 2 3 4 5; do
    times+=("$(curl -fsS -b "$jar" -o /dev/null -w '%{time_total}' "http://$addr$2")")
  done
  printf '%-52s %6.1f ms\n' "$1" "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p | awk '{ print $1 * 1000 }')"
}
echo "== staff target list, $db (median of 5, one request at a time)"
page "first page, with the total" "/staff/targets"
page "a page deep in the list (after id 900,000)" "/staff/targets?after=900000"
page "status 正常 (nearly all)" "/staff/targets?status=active"
page "status 退出 (none)" "/staff/targets?status=retired"
page "search by USCC" "/staff/targets?q=91150221MA0000001W"
page "search a name part in every name (公司)" "/staff/targets?q=%E5%85%AC%E5%8F%B8"
page "search a name part in no name (不存在): a scan" "/staff/targets?q=%E4%B8%8D%E5%AD%98%E5%9C%A8"
kill "$pid"; wait "$pid" 2>/dev/null || true
trap - EXIT
rm -f "$jar"
