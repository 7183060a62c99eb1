#!/usr/bin/env bash
# Cost of Keystone authentication: the foundation's benchmark (api-bench.py: create, list
# /volumes/detail sequentially and under load, delete) against a fresh `basalt all` with
# auth_strategy = noauth, then against another with auth_strategy = keystone (a real Keystone from
# Debian's package under uwsgi on 127.0.0.1, SQLite in a temp dir; one member token, so after the
# first request every validation comes from Basalt's token cache). Then both servers at once with
# N volumes each, GET /volumes/detail alternating between them (machine noise hits both alike).
# Prints both and the overhead of keystone (goal: under 10%).
#
#   bench/auth-bench.sh                  # N=200 CONC=10 LIST_SECS=10
#   ROUNDS=2 bench/auth-bench.sh         # alternate noauth/keystone twice, report the medians
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
bench_py="${API_BENCH:-$root/../shared/tools/api-bench.py}"
[ -f "$bench_py" ] || { echo "api-bench.py not found at $bench_py (set API_BENCH)" >&2; exit 1; }
for f in /usr/bin/keystone-manage /usr/bin/keystone-wsgi-public /usr/bin/uwsgi /usr/lib/uwsgi/plugins/python3_plugin.so; do
  [ -e "$f" ] || { echo "needs Debian's keystone, uwsgi-core and uwsgi-plugin-python3 ($f is missing)" >&2; exit 1; }
done
py=/usr/bin/python3
. "$root/bin/jdk.sh"
jar="$root/basalt-server/target/basalt.jar"
[ -f "$jar" ] || { echo "build Basalt first ($jar is missing): bin/basalt --help builds it" >&2; exit 1; }
rounds="${ROUNDS:-1}"
work="$(mktemp -d /tmp/basalt-auth-bench.XXXXXX)"
out_dir="$root/bench/out"
mkdir -p "$out_dir"
stamp="$(date +%Y%m%d-%H%M%S)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

free_port() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
json_get() { "$py" -c 'import json,sys; d=json.load(sys.stdin)
for k in sys.argv[1].split("."): d=d[int(k)] if k.isdigit() else d[k]
print(d)' "$1"; }

# --- Keystone -------------------------------------------------------------------------------
ks="$work/keystone"; mkdir -p "$ks"
ks_port="$(free_port)"; ks_url="http://127.0.0.1:$ks_port/v3"
cat > "$ks/keystone.conf" <<CONF
[DEFAULT]
log_file =
use_stderr = true
[database]
connection = sqlite:///$ks/keystone.db
[fernet_tokens]
key_repository = $ks/fernet-keys
[credential]
key_repository = $ks/credential-keys
[token]
provider = fernet
expiration = 7200
[identity]
password_hash_rounds = 4
[cache]
enabled = false
CONF
manage() { keystone-manage --config-file "$ks/keystone.conf" "$@" >> "$ks/manage.log" 2>&1; }
manage db_sync
"$py" -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("PRAGMA journal_mode=WAL"); c.close()' "$ks/keystone.db"
manage fernet_setup --keystone-user "$(id -un)" --keystone-group "$(id -gn)"
manage credential_setup --keystone-user "$(id -un)" --keystone-group "$(id -gn)"
manage bootstrap --bootstrap-password admin-secret --bootstrap-admin-url "$ks_url" \
  --bootstrap-internal-url "$ks_url" --bootstrap-public-url "$ks_url" --bootstrap-region-id RegionOne
# One single-threaded worker (SQLite connections may not cross threads); Connection: close because
# uwsgi's http-socket does not keep connections alive.
cat > "$ks/uwsgi.ini" <<INI
[uwsgi]
plugins = python3
http-socket = 127.0.0.1:$ks_port
wsgi-file = /usr/bin/keystone-wsgi-public
master = true
processes = 1
lazy-apps = true
die-on-term = true
no-orphans = true
buffer-size = 65535
add-header = Connection: close
env = OS_KEYSTONE_CONFIG_FILES=$ks/keystone.conf
INI
uwsgi --ini "$ks/uwsgi.ini" > "$ks/uwsgi.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do curl -sf -o /dev/null "$ks_url" && break; sleep 0.2; done
curl -sf -o /dev/null "$ks_url" || { tail -20 "$ks/uwsgi.log"; exit 1; }

token_for() { # user password project
  curl -si -H 'Content-Type: application/json' -d "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"$1\",\"domain\":{\"name\":\"Default\"},\"password\":\"$2\"}}},\"scope\":{\"project\":{\"name\":\"$3\",\"domain\":{\"name\":\"Default\"}}}}}" \
    "$ks_url/auth/tokens" | tr -d '\r' | awk 'tolower($1)=="x-subject-token:"{print $2}'
}
admin_token="$(token_for admin admin-secret admin)"
ks_call() { curl -sf -X "$1" -H "X-Auth-Token: $admin_token" -H 'Content-Type: application/json' ${3:+-d "$3"} "$ks_url$2"; }
service_project="$(ks_call POST /projects '{"project":{"name":"service","domain_id":"default"}}' | json_get project.id)"
bench_project="$(ks_call POST /projects '{"project":{"name":"bench","domain_id":"default"}}' | json_get project.id)"
service_role="$(ks_call POST /roles '{"role":{"name":"service"}}' | json_get role.id)"
member_role="$(ks_call GET '/roles?name=member' | json_get roles.0.id)"
basalt_user="$(ks_call POST /users '{"user":{"name":"basalt","password":"basalt-secret","domain_id":"default"}}' | json_get user.id)"
bench_user="$(ks_call POST /users '{"user":{"name":"bencher","password":"bench-secret","domain_id":"default"}}' | json_get user.id)"
ks_call PUT "/projects/$service_project/users/$basalt_user/roles/$service_role" > /dev/null
ks_call PUT "/projects/$bench_project/users/$bench_user/roles/$member_role" > /dev/null
bench_token="$(token_for bencher bench-secret bench)"
echo "keystone pid ${pids[0]} at $ks_url; bench project $bench_project ($(nproc) cores)"

# --- Basalt runs -----------------------------------------------------------------------------
start_basalt() { # label auth extra-config -> sets started_port, started_pid
  local label="$1" auth="$2" extra="$3" state port pid
  state="$work/basalt-$label"; mkdir -p "$state"
  port="$(free_port)"
  cat > "$state.conf" <<CONF
[DEFAULT]
state_path = $state
osapi_volume_listen = 127.0.0.1
osapi_volume_listen_port = $port
osapi_max_limit = 1000
auth_strategy = $auth
$extra
CONF
  # the built jar as bin/basalt runs it (same JVM options), without bin/basalt's rebuild check
  BASALT_LOG_LEVEL="${BASALT_LOG_LEVEL:-WARN}" "$JAVA_HOME/bin/java" \
    ${BASALT_JAVA_OPTS:--XX:+UseSerialGC -Xmx160m -XX:+ExitOnOutOfMemoryError} \
    -jar "$jar" all --config-file "$state.conf" > "$state.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 1 600); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && break
    kill -0 "$pid" 2>/dev/null || { cat "$state.log"; exit 1; }
    sleep 0.2
  done
  started_port="$port"; started_pid="$pid"
}

run_basalt() { # label auth extra-config -> writes $out_dir/auth-bench-$stamp-<label>.json
  local label="$1" auth="$2" extra="$3" state="$work/basalt-$1"
  start_basalt "$label" "$auth" "$extra"
  local port="$started_port" pid="$started_pid"
  echo "== $label: basalt pid $pid on port $port"
  local token="" project="abcdef0123456789abcdef0123456789"
  if [ "$auth" = keystone ]; then token="$bench_token"; project="$bench_project"; fi
  CINDER_URL="http://127.0.0.1:$port/v3" PROJECT_ID="$project" OS_TOKEN="$token" \
  PROC_REGEX="basalt\.jar.*$state" INFRA_REGEX="" \
  N="${N:-200}" CONC="${CONC:-10}" SKIP_QUOTA=1 LIST_SECS="${LIST_SECS:-10}" \
  BENCH_OUT="$out_dir/auth-bench-$stamp-$label.json" \
    "$py" "$bench_py" > "$state.bench.log" 2>&1 || { tail -30 "$state.bench.log"; exit 1; }
  grep -E '^\(|^    \{' "$state.bench.log" | cut -c1-160 || true
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

authtoken="[keystone_authtoken]
www_authenticate_uri = $ks_url
auth_url = $ks_url
auth_type = password
username = basalt
password = basalt-secret
project_name = service
user_domain_name = Default
project_domain_name = Default"

labels=()
for r in $(seq 1 "$rounds"); do
  run_basalt "noauth-$r" noauth ""
  run_basalt "keystone-$r" keystone "$authtoken"
  labels+=("noauth-$r" "keystone-$r")
done

# Interleaved: both servers up at once with N volumes each, GET /volumes/detail alternating between
# them (INTERLEAVED requests each), so machine noise hits both alike.
start_basalt inter-noauth noauth ""; noauth_port="$started_port"
start_basalt inter-keystone keystone "$authtoken"; keystone_port="$started_port"
"$py" - "$noauth_port" "$keystone_port" "$bench_project" "$bench_token" "${N:-200}" "${INTERLEAVED:-1000}" \
    "$out_dir/auth-bench-$stamp-interleaved.json" <<'PY'
import concurrent.futures as cf, json, statistics, sys, time, urllib.request
np, kp, project, token, n, count, out = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
noauth_project = "abcdef0123456789abcdef0123456789"
servers = {"noauth": (f"http://127.0.0.1:{np}/v3/{noauth_project}", {"X-Auth-Token": f"admin:{noauth_project}"}),
           "keystone": (f"http://127.0.0.1:{kp}/v3/{project}", {"X-Auth-Token": token})}
def call(name, method, path, body=None):
    base, h = servers[name]
    h = dict(h, **{"Content-Type": "application/json", "Accept": "application/json"})
    r = urllib.request.Request(base + path, data=json.dumps(body).encode() if body else None, method=method, headers=h)
    t = time.perf_counter()
    with urllib.request.urlopen(r, timeout=60) as resp:
        raw = resp.read()
    return time.perf_counter() - t, raw
for name in servers:
    with cf.ThreadPoolExecutor(10) as ex:
        list(ex.map(lambda i: call(name, "POST", "/volumes", {"volume": {"size": 1, "name": f"i{i}"}}), range(n)))
time.sleep(3)
for _ in range(100):
    for name in servers:
        call(name, "GET", "/volumes/detail")
lat = {name: [] for name in servers}
order = list(servers)
for i in range(count):
    for name in (order if i % 2 == 0 else order[::-1]):
        lat[name].append(call(name, "GET", "/volumes/detail")[0])
res = {}
for name, xs in lat.items():
    xs.sort()
    res[name] = {"n": len(xs), "p50_ms": round(xs[len(xs) // 2] * 1000, 2), "p90_ms": round(xs[int(len(xs) * .9)] * 1000, 2),
                 "mean_ms": round(statistics.mean(xs) * 1000, 2)}
res["overhead_p50_pct"] = round((res["keystone"]["p50_ms"] - res["noauth"]["p50_ms"]) / res["noauth"]["p50_ms"] * 100, 1)
res["overhead_mean_pct"] = round((res["keystone"]["mean_ms"] - res["noauth"]["mean_ms"]) / res["noauth"]["mean_ms"] * 100, 1)
json.dump(res, open(out, "w"), indent=2)
PY

"$py" - "$out_dir" "$stamp" "$rounds" <<'PY'
import json, statistics, sys
out, stamp, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
def load(label):
    with open(f"{out}/auth-bench-{stamp}-{label}.json") as f:
        return json.load(f)
rows = {}
for auth in ("noauth", "keystone"):
    runs = [load(f"{auth}-{r}") for r in range(1, rounds + 1)]
    ld = [r["list_detail"] for r in runs]
    rows[auth] = {
        "seq_p50_ms": statistics.median(x["sequential"]["p50_ms"] for x in ld),
        "seq_p95_ms": statistics.median(x["sequential"]["p95_ms"] for x in ld),
        "load_req_s": statistics.median(x["load"]["req_per_s"] for x in ld),
        "load_p50_ms": statistics.median(x["load"]["p50_ms"] for x in ld),
        "load_errors": sum(x["load"]["errors"] for x in ld),
        "volumes": ld[0]["volumes_in_response"],
        "create_vol_s": statistics.median(r["create"]["volumes_per_s"] for r in runs),
    }
n, k = rows["noauth"], rows["keystone"]
print(f"\nGET /volumes/detail with {n['volumes']} volumes (median of {rounds} run(s) each)")
print(f"{'':10} {'seq p50 ms':>11} {'seq p95 ms':>11} {'req/s (load)':>13} {'load p50 ms':>12} {'errors':>7} {'creates/s':>10}")
for auth, v in rows.items():
    print(f"{auth:10} {v['seq_p50_ms']:11.1f} {v['seq_p95_ms']:11.1f} {v['load_req_s']:13.1f} {v['load_p50_ms']:12.1f} {v['load_errors']:7d} {v['create_vol_s']:10.1f}")
thr = (n["load_req_s"] - k["load_req_s"]) / n["load_req_s"] * 100
lat = (k["seq_p50_ms"] - n["seq_p50_ms"]) / n["seq_p50_ms"] * 100
print(f"keystone overhead: throughput {thr:+.1f}% (lower req/s), sequential p50 {lat:+.1f}%  (goal < 10%)")
inter = json.load(open(f"{out}/auth-bench-{stamp}-interleaved.json"))
print(f"\ninterleaved, both servers up, {inter['noauth']['n']} sequential GET /volumes/detail each (alternating):")
for auth in ("noauth", "keystone"):
    v = inter[auth]
    print(f"{auth:10} p50 {v['p50_ms']:.2f} ms  p90 {v['p90_ms']:.2f} ms  mean {v['mean_ms']:.2f} ms")
print(f"keystone overhead: p50 {inter['overhead_p50_pct']:+.1f}%, mean {inter['overhead_mean_pct']:+.1f}%  (goal < 10%)")
summary = {"stamp": stamp, "interleaved": inter, "rounds": rounds, "noauth": n, "keystone": k,
           "overhead_throughput_pct": round(thr, 1), "overhead_seq_p50_pct": round(lat, 1)}
with open(f"{out}/auth-bench-{stamp}-summary.json", "w") as f:
    json.dump(summary, f, indent=2)
print(f"results: {out}/auth-bench-{stamp}-*.json")
PY
