#!/usr/bin/env bash
# The RBD driver's iSCSI gateway (issue 13, goal: >= 80% of librbd): fio through Basalt's iSCSI target
# on an RBD volume (what a host without librbd gets from an attachment with "protocol": "iscsi"), next
# to fio's rbd engine on the same image (what a host with librbd gets), on a throwaway single-node Ceph
# (bench/ceph-instance.sh). Workloads as basalt-iscsi/bench/fio-bench.sh: sequential read and write of
# 1 MiB at queue depth 16, random 4 KiB read and write at queue depth 32 (fio-workloads.sh), over the whole 1 GiB volume,
# written once first so that reads find data. The two paths take turns workload by workload (librbd
# first in odd runs). Prints MB/s or IOPS per path, the ratio gateway / librbd, Basalt's CPU time per
# I/O on the gateway, and the load average. Asserts nothing.
#
#   bench/rbd-gateway-bench.sh        RUNS (default 2), FIO_SECONDS (default 15)
#
# Needs root the first time (basalt-iscsi/bench/fio-build.sh builds fio with its libiscsi and rbd
# engines), jq, the Ceph packages (bin/test-deps) and built modules (./mvnw install -DskipTests).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
runs="${RUNS:-2}"
seconds="${FIO_SECONDS:-15}"
fio="$("$root/basalt-iscsi/bench/fio-build.sh")"
. "$root/basalt-iscsi/bench/fio-workloads.sh"
. "$root/bench/ceph-instance.sh"
. "$root/bench/basalt-instance.sh"
trap 'basalt_instance_stop; ceph_instance_stop' EXIT

api() { # method path [body] → the answer's body (3.54, as an administrator of project p1)
  curl -sf -X "$1" -H "X-Auth-Token: admin:p1" -H "Content-Type: application/json" \
    -H "OpenStack-API-Version: volume 3.54" ${3:+-d "$3"} "$base/p1$2"
}
volume="$(api POST /volumes '{"volume": {"size": 1, "name": "gateway-bench"}}' | jq -r .volume.id)"
for _ in $(seq 1 300); do
  status="$(api GET "/volumes/$volume" | jq -r .volume.status)"
  [ "$status" = creating ] || break; sleep 0.1
done
[ "$status" = available ] || { echo "volume $volume is $status"; cat "$state.log"; exit 1; }
image="volume-$volume"
export CEPH_CONF="$conf"                                   # fio's rbd engine reads the default conf
rbd_job() { "$fio" --output-format=json --name=bench --ioengine=rbd --clientname="$user" --pool="$pool" \
  --rbdname="$image" "$@"; }
rbd_job --rw=write --bs=4M --iodepth=8 --size=1G >/dev/null \
  || { echo "fio cannot open $pool/$image as client.$user; the pool has:"; api GET "/volumes/$volume" | jq -c .volume; rbd -c "$conf" --id "$user" --keyring "$keyring" ls -l "$pool"; rbd_job --rw=write --bs=4M --size=1G --debug=io 2>&1 | tail -5; exit 1; }
# (every object written once: reads find data)

info="$(api POST /attachments "{\"attachment\": {\"volume_uuid\": \"$volume\", \"connector\": {\"initiator\":
  \"iqn.1993-08.org.debian:01:gateway-bench\", \"ip\": \"127.0.0.1\", \"host\": \"no-librbd\",
  \"protocol\": \"iscsi\"}, \"mode\": \"rw\"}}" | jq .attachment.connection_info)"
portal="$(jq -r .target_portal <<<"$info")"
iqn="$(jq -r .target_iqn <<<"$info")"
lun="$(jq -r .target_lun <<<"$info")"
chap="$(jq -r '.auth_username + "%" + .auth_password' <<<"$info")"
# fio splits file names at ':', so the URL's colons are escaped
url="$(printf 'iscsi://%s@%s/%s/%s' "$chap" "$portal" "$iqn" "$lun" | sed 's/:/\\:/g')"

# measure path seconds rw block-size depth unit: prints "rate basalt-cpu-us-per-io"
measure() {
  local path="$1" time="$2" rw="$3" bs="$4" depth="$5" unit="$6" json before after
  local common=(--rw="$rw" --bs="$bs" --iodepth="$depth" --time_based --runtime="$time" --randrepeat=0)
  before=$(cpu_ticks "$pid")
  if [ "$path" = gateway ]; then
    json="$("$fio" --output-format=json --name=bench --ioengine=libiscsi --filename="$url" --direct=1 \
      "${common[@]}" 2>"$state.fio.err" | sed -n '/^{/,$p')" || true
  else
    json="$(rbd_job --size=1G "${common[@]}" 2>"$state.fio.err" | sed -n '/^{/,$p')" || true
  fi
  [ -n "$json" ] || { echo "fio failed on the $path path:" >&2; cat "$state.fio.err" >&2; echo "0 -"; return; }
  after=$(cpu_ticks "$pid")
  fio_rate "$json" "$rw" "$unit" $((after - before))
}

echo "fio $("$fio" --version) (libiscsi and rbd engines), ${seconds} s per workload, cores: $(nproc)"
echo "warming up (3 s of each workload on both paths)"
for w in "${fio_workloads[@]}"; do
  read -r name rw bs depth unit <<<"$w"
  measure librbd 3 "$rw" "$bs" "$depth" "$unit" >/dev/null
  measure gateway 3 "$rw" "$bs" "$depth" "$unit" >/dev/null
done
for r in $(seq 1 "$runs"); do
  echo
  echo "run $r: load average before $(cut -d' ' -f1-3 /proc/loadavg)"
  printf "%-11s %-5s %9s %9s %6s   %s\n" workload unit librbd gateway ratio "basalt CPU per I/O on the gateway (us)"
  for w in "${fio_workloads[@]}"; do
    read -r name rw bs depth unit <<<"$w"
    if (( r % 2 )); then
      read -r direct _ < <(measure librbd "$seconds" "$rw" "$bs" "$depth" "$unit")
      read -r gateway cpu < <(measure gateway "$seconds" "$rw" "$bs" "$depth" "$unit")
    else
      read -r gateway cpu < <(measure gateway "$seconds" "$rw" "$bs" "$depth" "$unit")
      read -r direct _ < <(measure librbd "$seconds" "$rw" "$bs" "$depth" "$unit")
    fi
    ratio="$(awk -v g="$gateway" -v d="$direct" 'BEGIN { if (d > 0) printf "%.0f%%", 100 * g / d; else print "-" }')"
    printf "%-11s %-5s %9s %9s %6s   %s\n" "$name" "$unit" "$direct" "$gateway" "$ratio" "$cpu"
  done
done
