#!/usr/bin/env bash
# Times the statistics on a store holding a province's year (bench/make_stats.py):
#   bash bench/stats_pages.sh DB_URL
# The command line with hyperfine, then each page and the API signed in (median of 5).
set -euo pipefail
cd "$(dirname "$0")/.."
db=$1
source bench/staff_session.sh
echo "== suiji stats --year 2026, $db"
hyperfine --warmup 1 --runs ${RUNS:-5} "$suiji stats --year 2026 --db $db"
staff_session "$db" 127.0.0.1:8099
year="from=2026-01-01&to=2026-12-31"
echo "== the statistics, $db (median of 5, one request at a time)"
page "GET /api/v1/stats (the year, the whole province)" "/api/v1/stats?$year"
page "GET /api/v1/stats (the year, one department)" "/api/v1/stats?$year&department=%E7%A4%BE%E4%BC%9A%E4%BF%9D%E9%99%A9%E7%A7%91"
page "/staff/stats (the year's page)" "/staff/stats?$year"
page "/staff/stats.xlsx" "/staff/stats.xlsx?$year"
page "/public/stats?year=2026 (the portal's 抽查情况)" "/public/stats?year=2026"
page "/staff (the workbench, with the year's figures)" "/staff"
page "/staff/stats/2026/summary (the annual summary, 10 departments)" "/staff/stats/2026/summary"
staff_session_end
