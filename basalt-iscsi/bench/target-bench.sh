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
module="$(dirname "$here")"
root="$(dirname "$module")"
work="${1:-$(mktemp -d /tmp/basalt-target-bench.XXXXXX)}"
basalt_port=3291
tgt_port=3292
tgt_control=29
iqn_basalt=iqn.2024-01.dev.basalt:bench
iqn_tgt=iqn.2024-01.dev.basalt:bench-tgt
runs="${RUNS:-2}"

. "$root/bin/jdk.sh"
cd "$root"
./mvnw -B -q -f basalt-iscsi/pom.xml dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test >/dev/null
cp="$module/target/classes:$module/target/test-classes:$(cat "$work/cp.txt")"

file="$work/disk.raw"
if [ ! -f "$file" ]; then
  echo "writing a 1 GiB file of random data at $file"
  dd if=/dev/urandom of="$file" bs=1M count=1024 status=none
fi

pids=()
cleanup() {
  # tgtd ignores SIGTERM; it stops when told, once its targets are gone
  tgtadm -C "$tgt_control" --lld iscsi --op delete --mode target --tid 1 --force >/dev/null 2>&1 || true
  tgtadm -C "$tgt_control" --op delete --mode system >/dev/null 2>&1 || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" dev.basalt.iscsi.RunTarget --port "$basalt_port" \
  "$iqn_basalt" "$file" >"$work/basalt.log" 2>&1 &
pids+=($!)
tgtd -f -C "$tgt_control" --iscsi portal=127.0.0.1:$tgt_port >"$work/tgtd.log" 2>&1 &
pids+=($!)
sleep 3
tgtadm -C "$tgt_control" --lld iscsi --op new --mode target --tid 1 -T "$iqn_tgt"
tgtadm -C "$tgt_control" --lld iscsi --op new --mode logicalunit --tid 1 --lun 1 -b "$file"
tgtadm -C "$tgt_control" --lld iscsi --op bind --mode target --tid 1 -I ALL

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
