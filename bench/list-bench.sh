#!/usr/bin/env bash
# GET /volumes/detail under load, as issue 2's goal measures it: N volumes (200 x 1 GiB by default)
# created first, then `wrk -t2 -c10 -d10s` against the detailed list (req/s and latency
# percentiles), against a fresh `basalt all` on a free port with a temporary state_path; Basalt's
# RSS after the load. Needs wrk (apt-get install wrk).
#
#   bench/list-bench.sh
#   N=500 WRK_ARGS="-t2 -c20 -d30s" bench/list-bench.sh
#   BASALT_BIN=/other/build/basalt bench/list-bench.sh   # another build (A/B)
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
command -v wrk > /dev/null || { echo "wrk not found (apt-get install wrk)" >&2; exit 1; }
. "$here/basalt-instance.sh"
project="${PROJECT_ID:-abcdef0123456789abcdef0123456789}"
token="X-Auth-Token: admin:$project"
n="${N:-200}"
curl -sf -o /dev/null -X PUT -H "$token" -H 'Content-Type: application/json' \
  -d '{"quota_set": {"volumes": -1, "gigabytes": -1}}' "$base/$project/os-quota-sets/$project"
cpu_ticks() { awk '{print $14 + $15}' /proc/"$pid"/stat; }
created_from="$(cpu_ticks)"
started="$(date +%s.%N)"
seq 1 "$n" | xargs -P 10 -I{} curl -sf -o /dev/null -H "$token" -H 'Content-Type: application/json' \
  -d '{"volume": {"size": 1, "name": "list-bench-{}"}}' "$base/$project/volumes"
for _ in $(seq 1 300); do
  creating="$(curl -sf -H "$token" "$base/$project/volumes/detail" | grep -o '"status":"creating"' | wc -l || true)"
  [ "$creating" -eq 0 ] && break
  sleep 0.2
done
awk -v t=$(($(cpu_ticks) - created_from)) -v hz="$(getconf CLK_TCK)" -v n="$n" -v s="$started" -v e="$(date +%s.%N)" \
  'BEGIN {printf "created %d volumes in %.2f s (%.1f/s, 10 curl clients); basalt CPU per create: %.2f ms\n", n, e - s, n / (e - s), t * 1000 / hz / n}'
shown="$(curl -sf -H "$token" "$base/$project/volumes/detail" | grep -o '"os-vol-tenant-attr:tenant_id"' | wc -l || true)"
echo "GET /volumes/detail shows $shown volumes; wrk ${WRK_ARGS:--t2 -c10 -d10s}"
before="$(cpu_ticks)"
# shellcheck disable=SC2086
wrk ${WRK_ARGS:--t2 -c10 -d10s} --latency -H "$token" "$base/$project/volumes/detail" | tee "$state.wrk"
after="$(cpu_ticks)"
requests="$(awk '/requests in/ {print $1}' "$state.wrk")"
awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" \
  'BEGIN {printf "basalt CPU per request: %.2f ms (%d requests)\n", t * 1000 / hz / n, n}'
echo "basalt RSS after the load: $(awk '/VmRSS/ {printf "%.1f MiB", $2 / 1024}' /proc/"$pid"/status)"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
