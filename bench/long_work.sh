#!/usr/bin/env bash
# Times the long workflow steps — publishing a task (its population frozen), the draw, and the
# random assignment of teams — on a fresh SQLite store with N targets, drawing a tenth of them:
#   bash bench/long_work.sh [N] [SUIJI_BINARY]
# Each step is one API call (the API waits for the work; the pages run the same work as a job).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-150000}
suiji=${2:-target/release/suiji}
work=$(mktemp -d)
db="sqlite://$work/s.db"
addr=127.0.0.1:8097
python3 bench/make_targets.py "$n" > "$work/targets.csv"
{
  echo "事项编码,事项名称,类别,检查方式"
  echo "RS-001,农民工工资支付情况检查,重点,现场"
} > "$work/items.csv"
{
  echo "执法证号,姓名,单位,证件有效期至,状态"
  for i in $(seq -w 1 400); do echo "豫人社监B$i,检查员$i,劳动保障监察大队,2030-12-31,在岗"; done
} > "$work/inspectors.csv"
"$suiji" department add 劳动保障监察大队 --kind lead --db "$db" > /dev/null
"$suiji" import items "$work/items.csv" --db "$db" > /dev/null
"$suiji" import targets "$work/targets.csv" --db "$db" > /dev/null
"$suiji" import inspectors "$work/inspectors.csv" --db "$db" > /dev/null
echo "bench-password-2026" | "$suiji" user add bench --role organizer --password-stdin --db "$db" > /dev/null
token=$("$suiji" token issue bench --name bench --db "$db" | tail -1)
"$suiji" serve --db "$db" --addr "$addr" > "$work/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
until grep -q "serving" "$work/serve.log" 2>/dev/null; do sleep 0.2; done
api() { # method path body → prints the time taken, in seconds
  curl -fsS -o "$work/answer.json" -w '%{time_total}' -X "$1" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' --data "$3" "http://$addr$2"
}
drawn=$((n / 10))
task='{"definition": {"title": "大批量抽查", "items": ["RS-001"], "departments": ["劳动保障监察大队"],
  "size": {"count": '"$drawn"'}, "window_start": "2026-07-01", "window_end": "2026-07-31",
  "method": "on-site", "team": {"size": 2}}}'
api POST /api/v1/tasks "$task" > /dev/null
id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$work/answer.json")
echo "== $n targets, $drawn drawn, teams of 2 from 400 inspectors ($suiji)"
printf '%-40s %6.2f s\n' "publish (freeze $n targets)" "$(api POST "/api/v1/tasks/$id/publish" '{}')"
printf '%-40s %6.2f s\n' "draw" "$(api POST "/api/v1/tasks/$id/draw" '{"system": true}')"
printf '%-40s %6.2f s\n' "assign $drawn teams" "$(api POST "/api/v1/tasks/$id/teams" '{}')"
