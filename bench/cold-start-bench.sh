#!/usr/bin/env bash
# Issue 15's cold-start figures for `basalt all` as bin/basalt starts it (with the JVM's start-up cache
# when the JDK has one: bin/aot-cache.sh):
#   - time to ready: launch to the first answered GET /v3/{project}/volumes, on an empty state_path,
#     median of STARTS starts, and the RSS then;
#   - creates/s of the first N volumes after a start (api-bench.py, N=200 CONC=10, via api-bench.sh);
#   - GET /volumes/detail with N volumes under wrk in the first 10 s after a restart (req/s, latency).
# Each figure with the load average it was measured at. Needs wrk (apt-get install wrk).
#
#   bench/cold-start-bench.sh
#   STARTS=9 bench/cold-start-bench.sh
#   BASALT_AOT=off bench/cold-start-bench.sh               # without the cache (before/after)
#   COMPARE=1 bench/cold-start-bench.sh                    # starts with and without the cache, interleaved
#   BASALT_BIN=/other/build/bin/basalt bench/cold-start-bench.sh
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
command -v wrk > /dev/null || { echo "wrk not found (apt-get install wrk)" >&2; exit 1; }
n="${N:-200}"
. "$here/basalt-instance.sh"   # a first start, not counted: it may build Basalt or train the cache
load() { echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"; }
fresh_start() { basalt_instance_kill; rm -rf "${state:?}"/*; basalt_instance_start; }

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
# COMPARE=1: each start followed by one without the start-up cache (machine noise hits both alike)
modes=("${BASALT_AOT:-on}"); [ -z "${COMPARE:-}" ] || modes=(on off)
: > "$state.starts"
for i in $(seq 1 "${STARTS:-5}"); do
  for mode in "${modes[@]}"; do
    BASALT_AOT="$mode" fresh_start
    echo "$mode $ready_ms" >> "$state.starts"
    echo "start $i (cache $mode): ready in $ready_ms ms, RSS $(basalt_instance_rss) ($(load))"
  done
done
for mode in "${modes[@]}"; do
  echo "time to ready (cache $mode): median $(awk -v m="$mode" '$1 == m {print $2}' "$state.starts" | median) ms of ${STARTS:-5} starts"
done

# creates/s of the first N after a start: api-bench.py through api-bench.sh (its own fresh server;
# this one stopped meanwhile)
basalt_instance_kill
BENCH_OUT="$state.api-bench.json" N="$n" CONC="${CONC:-10}" "$here/api-bench.sh" > "$state.api-bench.log" \
  || { tail -20 "$state.api-bench.log"; exit 1; }
/usr/bin/python3 - "$state.api-bench.json" "$(load)" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c, m = r["create"], r["memory"]
print(f"first {c['available']} creates after a start (api-bench.py, concurrency {r['config']['concurrency']}): "
      f"{c['volumes_per_s']}/s, end-to-end p50 {c['end_to_end_latency']['p50_ms']} ms, "
      f"RSS {m['after_create']['cinder']['rss_mib']} MiB ({sys.argv[2]})")
PY

# the detailed list under wrk right after a restart, N volumes in the database
fresh_start
CINDER_URL="$base" PROJECT_ID="$project" /usr/bin/python3 "$here/volume-load.py" create 0 "$n" 10 "$n" > /dev/null
basalt_instance_kill
basalt_instance_start
echo "restarted with $n volumes: ready in $ready_ms ms; wrk ${WRK_ARGS:--t2 -c10 -d10s} on GET /volumes/detail at once ($(load))"
# shellcheck disable=SC2086
wrk ${WRK_ARGS:--t2 -c10 -d10s} --latency -H "X-Auth-Token: admin:$project" "$base/$project/volumes/detail" \
  | grep -E 'Requests/sec|Latency  |50%|99%|Non-2xx'
echo "RSS after the load: $(basalt_instance_rss) ($(load))"
