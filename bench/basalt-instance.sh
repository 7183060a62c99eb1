# Sourced by the benchmarks: starts a fresh `basalt all` on a free port with a temporary state_path,
# waits until it answers, and stops it (removing its state, configuration and log) when the sourcing
# script exits, however it exits. Sets: root, state, port, pid, project, base (the API's /v3 URL),
# ready_ms (launch to the first answered GET /v3/{project}/volumes).
#   BASALT_BIN        the command to run (default: bin/basalt; e.g. another build's launcher, for A/B runs)
#   BASALT_LOG_LEVEL  WARN by default
#   BASALT_JAVA_OPTS  passed on to bin/basalt (e.g. -XX:StartFlightRecording=... to profile)
#   BASALT_EXTRA_CONF more configuration lines, appended to the generated file (starting with a section
#                     header, e.g. "[database]" lines)
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
state="$(mktemp -d /tmp/basalt-bench.XXXXXX)"
pid=""
basalt_instance_kill() { # SIGTERM, then waits until it stopped
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
# Every step tolerates failure: under `set -e` a failing command in the trap (`wait` returns the
# JVM's 143 after SIGTERM) would end the trap before the state is removed.
basalt_instance_stop() {
  basalt_instance_kill
  if [ -n "${KEEP:-}" ]; then echo "kept $state (log $state.log)" >&2
  else rm -rf "$state" "$state".*; fi   # .conf, .log and what the benchmark kept beside them
}
trap basalt_instance_stop EXIT
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port="$(free_port)"
cat > "$state.conf" <<CONF
[DEFAULT]
state_path = $state
osapi_volume_listen = 127.0.0.1
osapi_volume_listen_port = $port
osapi_max_limit = 1000
[backend_defaults]
target_port = $(free_port)
${BASALT_EXTRA_CONF:-}
CONF
project="${PROJECT_ID:-abcdef0123456789abcdef0123456789}"
# Launches basalt all on $state and waits until an authenticated GET /v3/{project}/volumes answers 200.
# Sets pid and ready_ms (from the launch to that answer). Run again after basalt_instance_kill to
# restart on the same state.
basalt_instance_start() {
  local launched
  launched="$(date +%s%N)"
  BASALT_LOG_LEVEL="${BASALT_LOG_LEVEL:-WARN}" "${BASALT_BIN:-$root/bin/basalt}" all --config-file "$state.conf" \
    >> "$state.log" 2>&1 &
  pid=$!
  ready_ms="$(CINDER_URL="http://127.0.0.1:$port/v3" PROJECT_ID="$project" \
    /usr/bin/python3 "$root/bench/volume-load.py" ready "$pid" "$launched")" || { cat "$state.log"; exit 1; }
}
basalt_instance_rss() { # RSS, and how much of it is mapped files (the jars, the JVM's start-up cache)
  awk '/^VmRSS/ {r = $2} /^RssFile/ {f = $2} END {printf "%.1f MiB (%.1f MiB of files)", r / 1024, f / 1024}' /proc/"$pid"/status
}
basalt_instance_start
base="http://127.0.0.1:$port/v3"
echo "basalt pid $pid on port $port, ready in $ready_ms ms, state $state ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
