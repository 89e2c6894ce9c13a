#!/usr/bin/env bash
# Times the staff's target list pages on a store that already holds the million targets:
#   bash bench/staff_pages.sh DB_URL
# Signs in as the account `bench` (bench/staff_session.sh), then asks each page 5 times with
# curl and prints the median in milliseconds.
set -euo pipefail
cd "$(dirname "$0")/.."
db=$1
source bench/staff_session.sh
staff_session "$db" 127.0.0.1:8098
echo "== staff target list, $db (median of 5, one request at a time)"
page "first page, with the total" "/staff/targets"
page "a page deep in the list (after id 900,000)" "/staff/targets?after=900000"
page "status 正常 (nearly all)" "/staff/targets?status=active"
page "status 退出 (none)" "/staff/targets?status=retired"
page "search by USCC" "/staff/targets?q=91150221MA0000001W"
page "search a name part in every name (公司)" "/staff/targets?q=%E5%85%AC%E5%8F%B8"
page "search a name part in no name (不存在): a scan" "/staff/targets?q=%E4%B8%8D%E5%AD%98%E5%9C%A8"
staff_session_end
