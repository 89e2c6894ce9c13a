# Sourced by the staff page benchmarks: a release server on DB signed in as the account `bench`
# (made here if missing, an organizer) through the sign-in form, and `page LABEL PATH` that asks
# a page RUNS times (5 unless set) with curl and prints the median in milliseconds.
#   source bench/staff_session.sh; staff_session DB ADDR; page "label" /staff/...; staff_session_end
suiji=target/release/suiji

staff_session() { # db addr
  addr=$2
  echo "bench-password-2026" | "$suiji" user add bench --role organizer --password-stdin --db "$1" > /dev/null 2>&1 || true
  "$suiji" serve --db "$1" --addr "$addr" > /tmp/suiji-bench-staff.log 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null || true' EXIT
  until grep -q "serving" /tmp/suiji-bench-staff.log 2>/dev/null; do sleep 0.2; done
  jar=$(mktemp)
  csrf=$(curl -fsS -c "$jar" -b "$jar" "http://$addr/login" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')
  curl -fsS -c "$jar" -b "$jar" -o /dev/null --data-urlencode "csrf=$csrf" \
    --data "username=bench&password=bench-password-2026&next=/staff" "http://$addr/login"
}

page() { # label path
  local times=()
  for _ in $(seq ${RUNS:-5}); do
    times+=("$(curl -fsS -b "$jar" -o /dev/null -w '%{time_total}' "http://$addr$2")")
  done
  printf '%-60s %7.1f ms\n' "$1" "$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (${RUNS:-5} + 1) / 2 ))p" | awk '{ print $1 * 1000 }')"
}

staff_session_end() {
  kill "$pid"; wait "$pid" 2>/dev/null || true
  trap - EXIT
  rm -f "$jar"
}
