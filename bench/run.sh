#!/usr/bin/env bash
# Reproduces the figures in BENCHMARKS.md:
#   bash bench/run.sh            # all
#   bash bench/run.sh reference  # suiji against consistent_sampler, 200,000 rows
#   bash bench/run.sh large      # 10,000,000 rows against the SHA-256 bound
# Needs hyperfine (apt-get install hyperfine) and, for `reference`,
# pip install consistent-sampler==1.0.10. Data goes to bench/data/ (not committed).
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
