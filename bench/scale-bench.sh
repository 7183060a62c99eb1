#!/usr/bin/env bash
# How the cost grows with the number of volumes, in one command: a fresh `basalt all` (bench/basalt-
# instance.sh), SCALE_N volumes created with CONC clients (creates/s per EVERY), and at 200, 1,000 and
# SCALE_N volumes the latencies of GET /volumes/detail?limit=1000 and of limit=50 after a deep marker
# (p50/p95/p99 of LIST_COUNT sequential requests each); then every volume deleted (deletes/s). The
# server's RSS at each stage, each stage with the load average it ran at.
#
#   bench/scale-bench.sh                          # SCALE_N=5000 CONC=10 EVERY=200 LIST_COUNT=50
#   SCALE_N=600 LIST_COUNT=20 bench/scale-bench.sh   # a quick run (stages above SCALE_N are skipped)
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
total="${SCALE_N:-5000}"
conc="${CONC:-10}"
every="${EVERY:-200}"
list_count="${LIST_COUNT:-50}"
. "$here/basalt-instance.sh"
load() { echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"; }
volumes() { CINDER_URL="$base" PROJECT_ID="$project" /usr/bin/python3 "$here/volume-load.py" "$@"; }

echo "== idle: RSS $(basalt_instance_rss) ($(load))"
have=0
for stage in 200 1000 "$total"; do
  [ "$stage" -le "$total" ] && [ "$stage" -gt "$have" ] || continue
  echo "== creating $((have + 1))..$stage ($conc clients; $(load))"
  volumes create "$have" "$stage" "$conc" "$every"
  have="$stage"
  echo "== $stage volumes: RSS $(basalt_instance_rss) ($(load))"
  volumes list-latency "$list_count"
  echo "   RSS after the lists $(basalt_instance_rss)"
done
echo "== deleting $have ($conc clients; $(load))"
volumes delete-all "$conc"
sleep "${SETTLE_S:-5}"
echo "== after the delete: RSS $(basalt_instance_rss) ($(load))"
