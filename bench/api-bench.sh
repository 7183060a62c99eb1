#!/usr/bin/env bash
# Foundation benchmark: create 200 x 1 GiB volumes with 10 clients until available, list
# /volumes/detail (sequential p50, then req/s with 10 threads for 10 s), delete all until gone,
# and Basalt's RSS before and after. Uses the same api-bench.py that Cinder's reference figures
# were measured with, against a fresh `basalt all` on a free port with a temporary state_path.
#
#   bench/api-bench.sh                 # N=200 CONC=10 by default
#   N=500 CONC=20 bench/api-bench.sh   # any api-bench.py variable passes through
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
bench_py="${API_BENCH:-$root/../shared/tools/api-bench.py}"
[ -f "$bench_py" ] || { echo "api-bench.py not found at $bench_py (set API_BENCH)" >&2; exit 1; }

state="$(mktemp -d /tmp/basalt-bench.XXXXXX)"
port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cat > "$state.conf" <<CONF
[DEFAULT]
state_path = $state
osapi_volume_listen = 127.0.0.1
osapi_volume_listen_port = $port
osapi_max_limit = 1000
CONF
BASALT_LOG_LEVEL="${BASALT_LOG_LEVEL:-WARN}" "$root/bin/basalt" all --config-file "$state.conf" > "$state.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$state" "$state.conf"' EXIT
for _ in $(seq 1 600); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/" -w '' 2>/dev/null && break
  curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break
  kill -0 $pid 2>/dev/null || { cat "$state.log"; exit 1; }
  sleep 0.2
done
echo "basalt pid $pid on port $port, state $state ($(nproc) cores)"
CINDER_URL="http://127.0.0.1:$port/v3" \
PROJECT_ID="${PROJECT_ID:-abcdef0123456789abcdef0123456789}" \
PROC_REGEX="${PROC_REGEX:-basalt\.jar}" INFRA_REGEX="${INFRA_REGEX:-}" \
N="${N:-200}" CONC="${CONC:-10}" SKIP_QUOTA="${SKIP_QUOTA:-0}" \
BENCH_OUT="${BENCH_OUT:-$root/bench/out/api-bench-$(date +%Y%m%d-%H%M%S).json}" \
  bash -c 'mkdir -p "$(dirname "$BENCH_OUT")"; exec /usr/bin/python3 "$0"' "$bench_py"
