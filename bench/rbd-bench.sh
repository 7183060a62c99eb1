#!/usr/bin/env bash
# RBD driver, first version: create, snapshot, volume from snapshot (clone), extend and delete of 1 GiB
# and 100 GiB volumes through Basalt's API (each timed from the request until the volume or snapshot is
# available, or gone) next to the `rbd` CLI's own time for the same operation (create; snap create +
# protect; clone; resize; rm), on a throwaway single-node Ceph (basalt-testkit's CephServer, ~20 s to
# start). Prints milliseconds per operation (median of ROUNDS) and the load average. Asserts nothing.
# The throwaway cluster has one 8 GiB OSD: the backend gets max_over_subscription_ratio = 1000 so that the
# scheduler places 100 GiB thin volumes on it. Needs the Ceph packages (bin/test-deps) and a built
# basalt-server (./mvnw install -DskipTests).
#
#   bench/rbd-bench.sh            ROUNDS=3, SIZES="1 100" (GiB) by default
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
rounds="${ROUNDS:-3}"
. "$root/bench/ceph-instance.sh"
. "$root/bench/basalt-instance.sh"
trap 'basalt_instance_stop; ceph_instance_stop' EXIT

rbd_cli() { rbd -c "$conf" --id "$user" --keyring "$keyring" "$@"; }
ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); }
cli_round() { # size-GiB → "create snapshot clone extend delete" in ms
  local g=$1 n="bench-$RANDOM$RANDOM" c s x e d
  c=$(ms rbd_cli create --size "${g}G" --image-format 2 --image-feature layering "$pool/$n")
  s=$(ms bash -c "rbd -c '$conf' --id '$user' --keyring '$keyring' snap create --no-progress '$pool/$n@s' && rbd -c '$conf' --id '$user' --keyring '$keyring' snap protect '$pool/$n@s'")
  x=$(ms rbd_cli clone --image-feature layering "$pool/$n@s" "$pool/$n-c")
  e=$(ms rbd_cli resize --no-progress --size "$((g + 1))G" "$pool/$n")
  rbd_cli rm --no-progress "$pool/$n-c" >/dev/null; rbd_cli snap unprotect "$pool/$n@s"; rbd_cli snap rm --no-progress "$pool/$n@s" >/dev/null
  d=$(ms rbd_cli rm --no-progress "$pool/$n")
  echo "$c $s $x $e $d"
}

api_rounds() { # size-GiB rounds → one "create snapshot clone extend delete" line per round, in ms
  /usr/bin/python3 - "$base" "$1" "$2" <<'PY'
import json, sys, time, urllib.request, urllib.error
base, size, rounds = sys.argv[1] + "/p1", int(sys.argv[2]), int(sys.argv[3])
H = {"X-Auth-Token": "admin:p1", "Content-Type": "application/json", "OpenStack-API-Version": "volume 3.59"}
def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method, headers=H,
                                 data=None if body is None else json.dumps(body).encode())
    try:
        with urllib.request.urlopen(req) as r:
            text = r.read()
            return r.status, json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        return e.code, None
def wait(path, key, status):
    while True:
        code, body = call("GET", path)
        if status is None and code == 404:
            return
        if code == 200 and body[key]["status"] == status:
            return
        if code == 200 and body[key]["status"].startswith("error"):
            messages = call("GET", "/messages")[1] or {"messages": []}
            raise SystemExit(path + " went " + body[key]["status"] + ": "
                             + "; ".join(m.get("user_message", "") for m in messages["messages"]))
        time.sleep(0.02)
def timed(f):
    t = time.monotonic(); f(); return int((time.monotonic() - t) * 1000)
for _ in range(rounds):
    ids = {}
    def create():
        ids["v"] = call("POST", "/volumes", {"volume": {"size": size, "name": "bench"}})[1]["volume"]["id"]
        wait("/volumes/" + ids["v"], "volume", "available")
    def snapshot():
        ids["s"] = call("POST", "/snapshots", {"snapshot": {"volume_id": ids["v"], "name": "s"}})[1]["snapshot"]["id"]
        wait("/snapshots/" + ids["s"], "snapshot", "available")
    def clone():
        ids["c"] = call("POST", "/volumes", {"volume": {"size": size, "snapshot_id": ids["s"]}})[1]["volume"]["id"]
        wait("/volumes/" + ids["c"], "volume", "available")
    def extend():
        call("POST", "/volumes/" + ids["v"] + "/action", {"os-extend": {"new_size": size + 1}})
        while call("GET", "/volumes/" + ids["v"])[1]["volume"]["size"] != size + 1:
            time.sleep(0.02)
        wait("/volumes/" + ids["v"], "volume", "available")
    def delete():
        call("DELETE", "/volumes/" + ids["v"] + "?cascade=true")
        wait("/volumes/" + ids["v"], "volume", None)
    c, s, x, e = timed(create), timed(snapshot), timed(clone), timed(extend)
    call("DELETE", "/volumes/" + ids["c"]); wait("/volumes/" + ids["c"], "volume", None)
    d = timed(delete)
    print(c, s, x, e, d)
PY
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
column() { awk -v k="$1" '{print $k}' | median; }
printf "%-8s %-5s %9s %9s %9s %9s %9s   (ms, median of %s)\n" size via create snapshot clone extend delete "$rounds"
for g in ${SIZES:-1 100}; do
  api="$(api_rounds "$g" "$rounds")"
  cli="$(for _ in $(seq 1 "$rounds"); do cli_round "$g"; done)"
  for via in api cli; do
    data="$([ "$via" = api ] && echo "$api" || echo "$cli")"
    printf "%-8s %-5s %9s %9s %9s %9s %9s\n" "${g} GiB" "$([ "$via" = api ] && echo basalt || echo rbd)" \
      "$(column 1 <<<"$data")" "$(column 2 <<<"$data")" "$(column 3 <<<"$data")" "$(column 4 <<<"$data")" \
      "$(column 5 <<<"$data")"
  done
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
