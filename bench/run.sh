#!/usr/bin/env bash
# Reproduces the figures in BENCHMARKS.md:
#   bash bench/run.sh            # all
#   bash bench/run.sh reference  # suiji against consistent_sampler, 200,000 rows
#   bash bench/run.sh large      # 10,000,000 rows against the SHA-256 bound
#   bash bench/run.sh import     # 1,000,000 targets into SQLite (against sqlite3's .import)
#                                # and PostgreSQL (against psql's \copy)
#   bash bench/run.sh web        # the public inspector directory and target look-up pages,
#                                # 1,000,000 targets loaded, under wrk (apt-get install wrk)
#   bash bench/run.sh staff      # the staff's target list pages and a one-row edit, 1,000,000
#                                # targets in SQLite and in PostgreSQL
#   bash bench/run.sh results    # the public results page and its API, 200,000 published results
#                                # and 10,000 open inspections, SQLite and PostgreSQL, under wrk
#   bash bench/run.sh stats      # the statistics at a province's size: 1,000,000 firms, 200,000
#                                # inspections in a year, 10 departments, SQLite and PostgreSQL
#   bash bench/run.sh abuse      # a sign-in flood and an import race against a release build,
#                                # SQLite and PostgreSQL: the database's growth and end state
# Needs hyperfine (apt-get install hyperfine) and, for `reference`,
# pip install consistent-sampler==1.0.10; for `import`, sqlite3 and psql, and PostgreSQL on
# 127.0.0.1:5432 (or SUIJI_BENCH_PG). Data goes to bench/data/ (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
seed=25646924322630583082/T-2026-001
mkdir -p bench/data
cargo build --release --quiet --bin suiji --example sha256_bound -p suiji -p suiji-draw
suiji=target/release/suiji
bound=target/release/examples/sha256_bound

data() { # rows file
  [ -f "$2" ] || python3 bench/make_population.py "$1" "$2"
}
tickets() { # the number of tickets in a population file: the sum of its weights
  awk -F, 'NR > 1 { t += $2 } END { print t }' "$1"
}

if [ "$what" = all ] || [ "$what" = reference ]; then
  data 200000 bench/data/pop-200k.csv
  echo "== 200,000 rows (weights 1/2/4, $(tickets bench/data/pop-200k.csv) tickets), ratio 5%: suiji against consistent_sampler"
  "$suiji" draw --population bench/data/pop-200k.csv --seed "$seed" --ratio-bp 500 --out /tmp/suiji-bench-ours.json
  python3 bench/reference_draw.py bench/data/pop-200k.csv "$seed" --ratio-bp 500 > /tmp/suiji-bench-reference.json
  python3 -c 'import json,sys; a,b=(json.load(open(f)) for f in sys.argv[1:]); sys.exit(0 if a == b else "documents differ")' \
    /tmp/suiji-bench-ours.json /tmp/suiji-bench-reference.json
  echo "the two documents are identical"
  hyperfine --warmup 1 --runs 5 \
    -n consistent_sampler "python3 bench/reference_draw.py bench/data/pop-200k.csv $seed --ratio-bp 500 > /tmp/suiji-bench-reference.json" \
    -n suiji "$suiji draw --population bench/data/pop-200k.csv --seed $seed --ratio-bp 500 --out /tmp/suiji-bench-ours.json"
fi

if [ "$what" = all ] || [ "$what" = large ]; then
  data 10000000 bench/data/pop-10m.csv
  [ -f bench/data/pop-10m-sorted.csv ] || { head -1 bench/data/pop-10m.csv; tail -n +2 bench/data/pop-10m.csv | LC_ALL=C sort -t, -k1,1; } > bench/data/pop-10m-sorted.csv
  n=$(tickets bench/data/pop-10m.csv)
  echo "== 10,000,000 rows, $n tickets: the SHA-256 bound against suiji draw, CSV to JSON"
  hyperfine --warmup 1 --runs 5 \
    -n "SHA-256 bound ($n compressions, all cores)" "$bound $n" \
    -n "suiji, ratio 5%, rows in random order" "$suiji draw --population bench/data/pop-10m.csv --seed $seed --ratio-bp 500 --out /tmp/suiji-bench-10m.json" \
    -n "suiji, size 1000, rows in random order" "$suiji draw --population bench/data/pop-10m.csv --seed $seed --size 1000 --out /tmp/suiji-bench-10m.json" \
    -n "suiji, ratio 5%, rows sorted by id" "$suiji draw --population bench/data/pop-10m-sorted.csv --seed $seed --ratio-bp 500 --out /tmp/suiji-bench-10m.json"
  echo "== peak memory, 10,000,000 rows, ratio 5%"
  /usr/bin/time -f "%M KiB peak resident, %e s" "$suiji" draw --population bench/data/pop-10m.csv --seed "$seed" --ratio-bp 500 --out /tmp/suiji-bench-10m.json
fi

if [ "$what" = all ] || [ "$what" = import ]; then
  [ -f bench/data/targets-1m.csv ] || python3 bench/make_targets.py 1000000 > bench/data/targets-1m.csv
  pg=${SUIJI_BENCH_PG:-postgres://postgres@127.0.0.1:5432}
  echo "== 1,000,000 targets, full validation, into an empty store"
  hyperfine --runs 3 \
    -n "sqlite3 .import (plain table)" --prepare 'rm -f /tmp/suiji-bench-plain.db' \
    "sqlite3 /tmp/suiji-bench-plain.db -cmd '.mode csv' '.import bench/data/targets-1m.csv t'" \
    -n "suiji import (SQLite)" --prepare 'rm -f /tmp/suiji-bench.db /tmp/suiji-bench.db-wal /tmp/suiji-bench.db-shm' \
    "$suiji import targets bench/data/targets-1m.csv --db sqlite:///tmp/suiji-bench.db" \
    -n "psql \\copy (plain table)" \
    --prepare "psql $pg/test -qc 'drop database if exists suiji_bench' -c 'create database suiji_bench' && psql $pg/suiji_bench -qc 'create table t (uscc text, name text, kind text, scale text, industry text, region text, address text, legal_rep text, employees text, credit_grade text, risk_class text, status text)'" \
    "psql $pg/suiji_bench -qc \"\\copy t from 'bench/data/targets-1m.csv' (format csv, header)\"" \
    -n "suiji import (PostgreSQL)" \
    --prepare "psql $pg/test -qc 'drop database if exists suiji_bench' -c 'create database suiji_bench'" \
    "$suiji import targets bench/data/targets-1m.csv --db $pg/suiji_bench"
fi

if [ "$what" = all ] || [ "$what" = web ]; then
  [ -f bench/data/targets-1m.csv ] || python3 bench/make_targets.py 1000000 > bench/data/targets-1m.csv
  db=sqlite://bench/data/web.db
  addr=127.0.0.1:8097
  if [ ! -f bench/data/web.db ]; then
    # The demo bureau (its 40 inspectors, 3,000 targets), then a million more targets.
    "$suiji" serve --demo --db "$db" --addr "$addr" > /tmp/suiji-bench-serve.log 2>&1 &
    pid=$!
    until grep -q "serving" /tmp/suiji-bench-serve.log 2>/dev/null; do sleep 0.2; done
    kill "$pid"; wait "$pid" 2>/dev/null || true
    "$suiji" import targets bench/data/targets-1m.csv --db "$db" --as bench
  fi
  # 1,000 USCCs of the million, looked up in turn.
  tail -n +2 bench/data/targets-1m.csv | awk -F, 'NR % 997 == 0 { print $1 }' | head -1000 > bench/data/web-usccs.txt
  "$suiji" serve --db "$db" --addr "$addr" > /tmp/suiji-bench-serve.log 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null || true' EXIT
  until grep -q "serving" /tmp/suiji-bench-serve.log 2>/dev/null; do sleep 0.2; done
  curl -fsS "http://$addr/public/targets?q=$(head -1 bench/data/web-usccs.txt)" | grep -q "<td>$(head -1 bench/data/web-usccs.txt)</td>"
  echo "== the public inspector directory, 1,000,000 targets in the store (wrk: 2 threads, 64 connections, 20 s)"
  wrk -t2 -c64 -d20s --latency "http://$addr/public/inspectors"
  echo "== public target look-up by USCC, 1,000 different targets in turn"
  wrk -t2 -c64 -d20s --latency -s bench/lookup.lua "http://$addr"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  trap - EXIT
fi

if [ "$what" = all ] || [ "$what" = staff ]; then
  [ -f bench/data/targets-1m.csv ] || python3 bench/make_targets.py 1000000 > bench/data/targets-1m.csv
  pg=${SUIJI_BENCH_PG:-postgres://postgres@127.0.0.1:5432}
  rm -f bench/data/staff.db bench/data/staff.db-wal bench/data/staff.db-shm
  psql "$pg/test" -qc 'drop database if exists suiji_bench_staff' -c 'create database suiji_bench_staff'
  printf '统一社会信用代码,名称\n%s,改过名称的公司\n' "$(sed -n 2p bench/data/targets-1m.csv | cut -d, -f1)" > bench/data/one-row.csv
  for db in sqlite://bench/data/staff.db "$pg/suiji_bench_staff"; do
    "$suiji" import targets bench/data/targets-1m.csv --db "$db" --as bench > /dev/null
    bash bench/staff_pages.sh "$db"
    echo "== one target changed (a one-row sheet, as the edit form sends), $db"
    hyperfine --warmup 1 --runs 5 "$suiji import targets bench/data/one-row.csv --db $db --as bench"
  done
fi

if [ "$what" = all ] || [ "$what" = results ]; then
  pg=${SUIJI_BENCH_PG:-postgres://postgres@127.0.0.1:5432}
  port=8091
  for backend in sqlite postgres; do
    dir=$(mktemp -d)
    if [ $backend = sqlite ]; then db="sqlite://$dir/suiji.db"; else
      psql "$pg/test" -qc 'drop database if exists suiji_bench_results' -c 'create database suiji_bench_results'
      db="$pg/suiji_bench_results"
    fi
    # The demo bureau (a drawn task with a published result), then the rows.
    "$suiji" serve --demo --db "$db" --addr 127.0.0.1:$port > "$dir/serve.log" 2>&1 &
    server=$!
    for _ in $(seq 100); do curl -sf -o /dev/null http://127.0.0.1:$port/ && break; sleep 0.2; done
    kill $server; wait $server 2>/dev/null || true
    python3 bench/make_results.py "$db" 200000 10000
    "$suiji" serve --db "$db" --addr 127.0.0.1:$port > "$dir/serve.log" 2>&1 &
    server=$!
    for _ in $(seq 100); do curl -sf -o /dev/null http://127.0.0.1:$port/ && break; sleep 0.2; done
    for path in /public/results "/public/results?after=100000" /api/v1/public/results \
                "/api/v1/public/results?limit=100"; do
      echo "== $backend: $path (200,000 published, 10,000 open of which 5,000 overdue)"
      curl -s "http://127.0.0.1:$port$path" | grep -o '逾期未公示（[0-9]*）\|"next":[0-9]*' | head -1
      wrk -t2 -c64 -d20s --latency "http://127.0.0.1:$port$path" | grep -E 'Requests/sec|Latency  | 99%| 50%|Non-2xx'
    done
    kill $server; wait $server 2>/dev/null || true
    rm -rf "$dir"
  done
fi

if [ "$what" = all ] || [ "$what" = stats ]; then
  [ -f bench/data/targets-1m.csv ] || python3 bench/make_targets.py 1000000 > bench/data/targets-1m.csv
  pg=${SUIJI_BENCH_PG:-postgres://postgres@127.0.0.1:5432}
  port=8092
  for backend in sqlite postgres; do
    dir=$(mktemp -d)
    if [ $backend = sqlite ]; then db="sqlite://$dir/suiji.db"; else
      psql "$pg/test" -qc 'drop database if exists suiji_bench_stats' -c 'create database suiji_bench_stats'
      db="$pg/suiji_bench_stats"
    fi
    # The demo bureau (its task and draw are copied), a million firms, then the year's rows.
    "$suiji" serve --demo --db "$db" --addr 127.0.0.1:$port > "$dir/serve.log" 2>&1 &
    server=$!
    for _ in $(seq 300); do curl -sf -o /dev/null http://127.0.0.1:$port/ && break; sleep 0.2; done
    kill $server; wait $server 2>/dev/null || true
    "$suiji" import targets bench/data/targets-1m.csv --db "$db" --as bench > /dev/null
    python3 bench/make_stats.py "$db"
    bash bench/stats_pages.sh "$db"
    rm -rf "$dir"
  done
fi

if [ "$what" = abuse ]; then
  pg=${SUIJI_BENCH_PG:-postgres://postgres@127.0.0.1:5432}
  port=8090
  entries() { "$suiji" audit verify --db "$1" | grep -o '[0-9,]* entries'; }
  size() { # database size in bytes
    case "$1" in
      sqlite://*) f=${1#sqlite://}; sqlite3 "$f" 'pragma wal_checkpoint(truncate)' > /dev/null; du -cb "$f" "$f-wal" 2>/dev/null | tail -1 | cut -f1 ;;
      *) psql "$1" -Atc 'select pg_database_size(current_database())' ;;
    esac
  }
  rows() { # SQL on either database
    case "$1" in
      sqlite://*) sqlite3 "${1#sqlite://}" "$2" ;;
      *) psql "$1" -Atc "$2" ;;
    esac
  }
  for backend in sqlite postgres; do
    dir=$(mktemp -d)
    if [ $backend = sqlite ]; then db="sqlite://$dir/suiji.db"; else
      psql "$pg/test" -qc 'drop database if exists suiji_abuse' -c 'create database suiji_abuse'
      db="$pg/suiji_abuse"
    fi
    echo "== sign-in flood, $backend (one address, then 40 guesses at once through a trusted proxy)"
    "$suiji" serve --demo --db "$db" --addr 127.0.0.1:$port --trusted-proxy 127.0.0.1 > "$dir/serve.log" 2>&1 &
    server=$!
    for _ in $(seq 100); do curl -sf -o /dev/null http://127.0.0.1:$port/ && break; sleep 0.2; done
    before_size=$(size "$db"); before_entries=$(entries "$db")
    python3 bench/abuse.py http://127.0.0.1:$port 2000
    kill $server; wait $server 2>/dev/null || true
    echo "database: $before_size -> $(size "$db") bytes; audit log: $before_entries -> $(entries "$db")"
    echo "throttle rows: $(rows "$db" 'select count(*) from login_throttle')"
    echo "audit entries by action since the demo: $(rows "$db" "select action || ' ' || count(*) from audit_entries where action like 'login%' group by action" | tr '\n' ';')"

    echo "== import race, $backend: a 300,000-row rename import, and a one-row retirement made while it is checked"
    [ -f bench/data/targets-300k.csv ] || python3 bench/make_targets.py 300000 > bench/data/targets-300k.csv
    # Every name changed; no status column (the file says nothing of status, so a retirement
    # made meanwhile must stay).
    cut -d, -f1-11 bench/data/targets-300k.csv | sed 's/有限公司,/有限公司（更名）,/' > "$dir/renamed.csv"
    uscc=$(sed -n 2p bench/data/targets-300k.csv | cut -d, -f1)
    printf '统一社会信用代码,状态\n%s,退出\n' "$uscc" > "$dir/retire.csv"
    "$suiji" import targets bench/data/targets-300k.csv --db "$db" --as bench > /dev/null
    "$suiji" import targets "$dir/renamed.csv" --db "$db" --as bench > "$dir/big.out" 2>&1 &
    big=$!
    sleep 1.5
    "$suiji" import targets "$dir/retire.csv" --db "$db" --as bench
    wait $big; echo "rename import: exit $?; $(tail -1 "$dir/big.out")"
    echo "the retired target: $(rows "$db" "select status || ' ' || name from targets where uscc = '$uscc'")"
    echo "its history: $(rows "$db" "select field || ':' || coalesce(old_value,'') || '->' || coalesce(new_value,'') from record_changes where record_key = '$uscc' order by id" | tr '\n' ';')"
    echo "kept counts: $(rows "$db" "select status || '=' || n from list_counts where list = 'targets' order by status" | tr '\n' ' ')"
    echo "table:       $(rows "$db" "select status || '=' || count(*) from targets group by status order by status" | tr '\n' ' ')"
    echo "== two imports of the same 300,000 new targets at once, $backend"
    if [ $backend = sqlite ]; then db2="sqlite://$dir/race.db"; else
      psql "$pg/test" -qc 'drop database if exists suiji_abuse2' -c 'create database suiji_abuse2'; db2="$pg/suiji_abuse2"
    fi
    SUIJI_DB="$db2" "$suiji" calendar is-workday 2026-10-10 > /dev/null
    "$suiji" import targets bench/data/targets-300k.csv --db "$db2" --as a > "$dir/a.out" 2>&1 & a=$!
    "$suiji" import targets bench/data/targets-300k.csv --db "$db2" --as b > "$dir/b.out" 2>&1 & b=$!
    wait $a; ra=$?; wait $b; rb=$?
    echo "exits $ra and $rb: $(tail -1 "$dir/a.out") | $(tail -1 "$dir/b.out")"
    echo "rows $(rows "$db2" 'select count(*) from targets'), kept count $(rows "$db2" "select sum(n) from list_counts where list = 'targets'")"
    rm -rf "$dir"
  done
fi
