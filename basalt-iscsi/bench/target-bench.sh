#!/usr/bin/env bash
# Basalt's iSCSI target against tgt on the same 1 GiB file over 127.0.0.1, measured with the
# initiators Debian ships: qemu-img bench (sequential 1 MiB at queue depth 16, strided 4 KiB at
# depth 32, reads and writes) and iscsi-perf (random 4 KiB reads at depth 32).
# Prints numbers; asserts nothing. Needs: libiscsi-bin qemu-utils qemu-block-extra tgt, and the
# module built (./mvnw -pl basalt-iscsi install).
#
#   basalt-iscsi/bench/target-bench.sh [work-dir]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="${1:-$(mktemp -d /tmp/basalt-target-bench.XXXXXX)}"
runs="${RUNS:-2}"
. "$here/targets.sh"

opts() { echo "driver=iscsi,transport=tcp,portal=127.0.0.1:$1,target=$2,lun=$3"; }
seconds() { "$@" 2>&1 | sed -n 's/^Run completed in \([0-9.]*\) seconds.*/\1/p'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
megabytes() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s / 1000000 }'; }

bench() {
  local name="$1" port="$2" iqn="$3" lun="$4" o
  o="$(opts "$port" "$iqn" "$lun")"
  local sr sw rr rw pr
  sr=$(seconds qemu-img bench -c 4096 -d 16 -s 1M -t none --image-opts "$o")
  sw=$(seconds qemu-img bench -w -c 2048 -d 16 -s 1M -t none --image-opts "$o")
  rr=$(seconds qemu-img bench -c 200000 -d 32 -s 4k -S 1M -t none --image-opts "$o")
  rw=$(seconds qemu-img bench -w -c 200000 -d 32 -s 4k -S 1M -t none --image-opts "$o")
  pr=$(timeout 30 iscsi-perf -m 32 -b 8 -r -t 10 "iscsi://127.0.0.1:$port/$iqn/$lun" 2>&1 | tr '\r' '\n' \
       | sed -n 's/.*iops average \([0-9]*\).*/\1/p' | tail -1)
  printf "%-7s seq read %5s MB/s  seq write %5s MB/s  4k read %6s IOPS  4k write %6s IOPS  random 4k read (iscsi-perf) %6s IOPS\n" \
    "$name" "$(megabytes 4294967296 "$sr")" "$(megabytes 2147483648 "$sw")" \
    "$(rate 200000 "$rr")" "$(rate 200000 "$rw")" "$pr"
}

echo "cores: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$runs"); do
  bench basalt "$basalt_port" "$iqn_basalt" 0
  bench tgt "$tgt_port" "$iqn_tgt" 1
done
