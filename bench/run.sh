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
