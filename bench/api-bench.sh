#!/usr/bin/env bash
# Foundation benchmark: create 200 x 1 GiB volumes with 10 clients until available, list
# /volumes/detail (sequential p50, then req/s with 10 threads for 10 s), delete all until gone,
# and Basalt's RSS before and after. Uses the same api-bench.py that Cinder's reference figures
# were measured with, against a fresh `basalt all` on a free port with a temporary state_path.
# (api-bench.py's list figure is bound by its Python client; bench/list-bench.sh measures the
# list with wrk.)
#
#   bench/api-bench.sh                 # N=200 CONC=10 by default
#   N=500 CONC=20 bench/api-bench.sh   # any api-bench.py variable passes through
#   BASALT_BIN=/other/build/basalt bench/api-bench.sh   # another build (A/B)
#   WARMUP=1 bench/api-bench.sh        # one unmeasured round first, so the JIT has compiled the
#                                      # request path (a long-running server's state)
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
bench_py="${API_BENCH:-$here/../../shared/tools/api-bench.py}"
[ -f "$bench_py" ] || { echo "api-bench.py not found at $bench_py (set API_BENCH)" >&2; exit 1; }
. "$here/basalt-instance.sh"
run_bench() {
  CINDER_URL="$base" \
  PROJECT_ID="${PROJECT_ID:-abcdef0123456789abcdef0123456789}" \
  PROC_REGEX="${PROC_REGEX:-basalt\.jar}" INFRA_REGEX="${INFRA_REGEX:-}" \
  N="${N:-200}" CONC="${CONC:-10}" SKIP_QUOTA="${SKIP_QUOTA:-0}" \
  BENCH_OUT="${BENCH_OUT:-$root/bench/out/api-bench-$(date +%Y%m%d-%H%M%S).json}" \
    bash -c 'mkdir -p "$(dirname "$BENCH_OUT")"; exec /usr/bin/python3 "$0"' "$bench_py"
}
if [ "${WARMUP:-0}" != 0 ]; then
  echo "warm-up round (not measured)"
  BENCH_OUT=/dev/null run_bench > /dev/null
fi
run_bench
