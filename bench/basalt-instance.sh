# Sourced by the benchmarks: starts a fresh `basalt all` on a free port with a temporary state_path,
# waits until it answers, and stops it (removing its state, configuration and log) when the sourcing
# script exits, however it exits. Sets: root, state, port, pid, base (the API's /v3 URL).
#   BASALT_BIN        the command to run (default: bin/basalt; e.g. another build's launcher, for A/B runs)
#   BASALT_LOG_LEVEL  WARN by default
#   BASALT_JAVA_OPTS  passed on to bin/basalt (e.g. -XX:StartFlightRecording=... to profile)
#   BASALT_EXTRA_CONF more configuration lines, appended to the generated file (e.g. "[database]" lines)
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
state="$(mktemp -d /tmp/basalt-bench.XXXXXX)"
pid=""
# Every step tolerates failure: under `set -e` a failing command in the trap (`wait` returns the
# JVM's 143 after SIGTERM) would end the trap before the state is removed.
basalt_instance_stop() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ -n "${KEEP:-}" ]; then echo "kept $state (log $state.log)" >&2
  else rm -rf "$state" "$state".*; fi   # .conf, .log and what the benchmark kept beside them
}
trap basalt_instance_stop EXIT
port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cat > "$state.conf" <<CONF
[DEFAULT]
state_path = $state
osapi_volume_listen = 127.0.0.1
osapi_volume_listen_port = $port
osapi_max_limit = 1000
${BASALT_EXTRA_CONF:-}
CONF
BASALT_LOG_LEVEL="${BASALT_LOG_LEVEL:-WARN}" "${BASALT_BIN:-$root/bin/basalt}" all --config-file "$state.conf" \
  > "$state.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break
  kill -0 $pid 2>/dev/null || { cat "$state.log"; exit 1; }
  sleep 0.2
done
base="http://127.0.0.1:$port/v3"
echo "basalt pid $pid on port $port, state $state ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
