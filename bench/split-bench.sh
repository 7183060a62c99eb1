#!/usr/bin/env bash
# Issue 9's benchmark: the same api-bench.py run (create N x 1 GiB volumes with CONC clients, list,
# delete) against Basalt split into separate processes (scheduler, volume, api) over RabbitMQ with
# MariaDB, then with PostgreSQL, then against `basalt all` on H2, in one run. Memory is the RSS of
# every Basalt process together ("cinder" in api-bench's output) and of the broker and database
# ("infra"). Servers are throwaway ones (basalt-testkit's ServersMain) on free ports.
#
#   bench/split-bench.sh                 # N=200 CONC=10 WARMUP=1
#   DEPLOYMENTS="mariadb" bench/split-bench.sh
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
root="$(cd "$here/.." && pwd)"
bench_py="${API_BENCH:-$root/../shared/tools/api-bench.py}"
[ -f "$bench_py" ] || { echo "api-bench.py not found at $bench_py (set API_BENCH)" >&2; exit 1; }
. "$root/bin/jdk.sh"
. "$root/bin/java-options.sh"
jar="$root/basalt-server/target/basalt.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -q install -DskipTests)
work="$(mktemp -d /tmp/basalt-split-bench.XXXXXX)"
pids=()
cleanup() {
  exec 9>&-   # the servers stop when their input closes
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cp_file="$work/classpath"
(cd "$root" && ./mvnw -B -q dependency:build-classpath -pl basalt-testkit -Dmdep.outputFile="$cp_file" >/dev/null)
mkfifo "$work/servers.in"
BENCH_SERVERS=rabbit,postgres,mariadb \
  "$JAVA_HOME/bin/java" -cp "$root/basalt-testkit/target/classes:$(cat "$cp_file")" dev.basalt.testkit.ServersMain \
  < "$work/servers.in" > "$work/servers.out" 2> "$work/servers.err" &
servers=$!
exec 9> "$work/servers.in"   # held open: the servers stop when this script ends
for _ in $(seq 1 600); do grep -q '^ready' "$work/servers.out" 2>/dev/null && break; sleep 0.2; done
grep -q '^ready' "$work/servers.out" || { cat "$work/servers.err"; exit 1; }
url() { sed -n "s/^$1=//p" "$work/servers.out"; }
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

basalt() { # name, role, config files...
  local name=$1 role=$2; shift 2
  local args=()
  for f in "$@"; do args+=(--config-file "$f"); done
  # shellcheck disable=SC2086 # options are words
  BASALT_LOG_LEVEL=WARN "$JAVA_HOME/bin/java" ${BASALT_JAVA_OPTS:-$(basalt_java_options "$role")} -jar "$jar" "$role" "${args[@]}" \
    > "$work/$name.log" 2>&1 &
  pids+=($!)
}

run_api_bench() { # base URL, label
  local run
  for run in $( [ "${WARMUP:-1}" != 0 ] && echo warmup ) measured; do
    echo "== $2 ($run; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
    CINDER_URL="$1" PROJECT_ID="${PROJECT_ID:-abcdef0123456789abcdef0123456789}" \
    PROC_REGEX="basalt\\.jar .*$work" INFRA_REGEX='beam\.smp|epmd|^/usr/lib/postgresql/[0-9]+/bin/postgres|^postgres: |mariadbd' \
    N="${N:-200}" CONC="${CONC:-10}" \
    BENCH_OUT="$([ "$run" = warmup ] && echo /dev/null || echo "$root/bench/out/split-bench-$2-$(date +%Y%m%d-%H%M%S).json")" \
      bash -c 'mkdir -p "$root/bench/out"; exec /usr/bin/python3 "$0"' "$bench_py" \
      | { [ "$run" = warmup ] && cat > /dev/null || cat; }
  done
}
export root

wrk_list() { # base URL, label: N volumes created again, then wrk on the detailed list (as list-bench.sh)
  local project="${PROJECT_ID:-abcdef0123456789abcdef0123456789}" n="${N:-200}"
  local token="X-Auth-Token: admin:$project"
  command -v wrk > /dev/null || { echo "wrk not found (apt-get install wrk): no wrk figures for $2"; return 0; }
  seq 1 "$n" | xargs -P 10 -I{} curl -sf -o /dev/null -H "$token" -H 'Content-Type: application/json' \
    -d '{"volume": {"size": 1, "name": "wrk-{}"}}' "$1/$project/volumes"
  for _ in $(seq 1 300); do
    curl -sf -H "$token" "$1/$project/volumes/detail" | grep -q '"status": *"creating"' || break
    sleep 0.2
  done
  echo "== $2: wrk ${WRK_ARGS:--t2 -c10 -d10s} on GET /volumes/detail ($n volumes; load average $(cut -d' ' -f1-3 /proc/loadavg))"
  # shellcheck disable=SC2086
  wrk ${WRK_ARGS:--t2 -c10 -d10s} --latency -H "$token" "$1/$project/volumes/detail" \
    | grep -E 'Requests/sec|Latency|50%|99%'
}

split() { # database name (mariadb|postgres)
  local db=$1 dir="$work/$1" port
  mkdir -p "$dir"
  port=$(free_port)
  local dburl
  dburl="$(url "$db")"
  cat > "$dir/common.conf" <<CONF
[DEFAULT]
transport_url = $(url rabbit)
control_exchange = bench_$db
[database]
connection = $dburl
CONF
  "$JAVA_HOME/bin/java" -jar "$jar" manage db sync --config-file "$dir/common.conf" > "$dir/sync.log" 2>&1
  printf '[DEFAULT]\nhost = control\nstate_path = %s/control\nosapi_volume_listen_port = %s\nosapi_max_limit = 1000\n' \
    "$dir" "$port" > "$dir/control.conf"
  printf '[DEFAULT]\nhost = node1\nstate_path = %s/node1\n[backend_defaults]\ntarget_port = %s\n' \
    "$dir" "$(free_port)" > "$dir/node1.conf"
  basalt "$db-scheduler" scheduler "$dir/common.conf" "$dir/control.conf"
  basalt "$db-volume" volume "$dir/common.conf" "$dir/node1.conf"
  basalt "$db-api" api "$dir/common.conf" "$dir/control.conf"
  for _ in $(seq 1 600); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
  sleep 3   # the volume service's first capacity report
  run_api_bench "http://127.0.0.1:$port/v3" "split-$db"
  wrk_list "http://127.0.0.1:$port/v3" "split-$db"
  echo "RSS per process after the run (MiB):"
  for p in "${pids[@]}"; do
    printf '  %6.1f  %s\n' "$(awk '/^VmRSS/ {print $2 / 1024}' /proc/"$p"/status)" "$(tr '\0' ' ' < /proc/"$p"/cmdline | grep -o ' \(api\|scheduler\|volume\) ')"
  done
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait "${pids[@]}" 2>/dev/null || true
  pids=()
}

for d in ${DEPLOYMENTS:-mariadb postgres all}; do
  case "$d" in
    mariadb|postgres) split "$d" ;;
    all)
      echo "== all-in-one (H2, in-JVM bus)"
      WARMUP="${WARMUP:-1}" "$here/api-bench.sh"
      "$here/list-bench.sh"
      ;;
  esac
done
