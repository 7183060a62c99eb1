#!/usr/bin/env bash
# Back-end QoS costs nothing when no spec is set: 4 KiB reads and writes at queue depth 32 through
# Basalt's target, on the same file, through two LUNs of one export in the same run: LUN 0 without
# limits (no throttle in its data path) and LUN 1 with total_iops_sec far above what the machine
# reaches (every command goes through the token buckets), then LUN 2 limited to 500 IOPS to show
# the limit holds. Measured with qemu-img bench (libiscsi); with FIO pointing at a fio built with
# libiscsi (basalt-iscsi/bench/fio-build.sh) also with fio's random 4k read and write.
# Prints numbers; asserts nothing. Needs: libiscsi-bin qemu-utils qemu-block-extra, and
# ./mvnw -pl basalt-iscsi -am install -DskipTests.
#
#   bench/qos-bench.sh [work-dir]       RUNS=3 (rounds, LUNs alternating), COUNT=200000 (ops per bench)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
module="$root/basalt-iscsi"
work="${1:-}"
temporary_work=""
if [ -z "$work" ]; then work="$(mktemp -d /tmp/basalt-qos-bench.XXXXXX)"; temporary_work="$work"; fi
pid="" pid500=""
stop_targets() { # a work dir given as argument is kept (its 1 GiB disk is reused next time); a temporary one goes
  kill $pid $pid500 2>/dev/null || true
  wait $pid $pid500 2>/dev/null || true
  [ -z "$temporary_work" ] || rm -rf "$temporary_work"
}
trap stop_targets EXIT
runs="${RUNS:-3}"
count="${COUNT:-200000}"
port=3293
iqn=iqn.2024-01.dev.basalt:qos-bench
. "$root/bin/jdk.sh"
(cd "$root" && ./mvnw -B -q -f basalt-iscsi/pom.xml ${MAVEN_REPO:+-Dmaven.repo.local="$MAVEN_REPO"} \
  dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test >/dev/null)
classpath="$module/target/classes:$module/target/test-classes:$(cat "$work/cp.txt")"
file="$work/disk.raw"
[ -f "$file" ] || dd if=/dev/urandom of="$file" bs=1M count=1024 status=none
limited="$work/limited.raw"
[ -f "$limited" ] || truncate -s 64M "$limited"

"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$classpath" dev.basalt.iscsi.RunTarget \
  --port "$port" --limited-iops 1000000000 "$iqn" "$file" >"$work/target.log" 2>&1 &
pid=$!
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$classpath" dev.basalt.iscsi.RunTarget \
  --port $((port + 1)) --limited-iops 500 "$iqn-500" "$limited" >"$work/target-500.log" 2>&1 &
pid500=$!
for _ in $(seq 1 120); do                      # until both targets listen
  grep -q '^serving' "$work/target.log" && grep -q '^serving' "$work/target-500.log" && break
  sleep 0.5
done

opts() { echo "driver=iscsi,transport=tcp,portal=127.0.0.1:$1,target=$2,lun=$3"; }
seconds() { "$@" 2>&1 | sed -n 's/^Run completed in \([0-9.]*\) seconds.*/\1/p'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
bench() {
  local name="$1" o r w
  o="$(opts "$port" "$iqn" "$2")"
  r=$(seconds qemu-img bench -c "$count" -d 32 -s 4k -S 1M -t none --image-opts "$o")
  w=$(seconds qemu-img bench -w -c "$count" -d 32 -s 4k -S 1M -t none --image-opts "$o")
  printf "%-24s qemu-img bench 4k read %7s IOPS  4k write %7s IOPS" "$name" "$(rate "$count" "$r")" "$(rate "$count" "$w")"
  if [ -n "${FIO:-}" ]; then
    local fr fw
    fr=$("$FIO" --name=r --ioengine=libiscsi --filename="iscsi\\://127.0.0.1\\:$port/$iqn/$2" --rw=randread \
         --bs=4k --iodepth=32 --runtime=10 --time_based --output-format=terse 2>/dev/null | cut -d';' -f8)
    fw=$("$FIO" --name=w --ioengine=libiscsi --filename="iscsi\\://127.0.0.1\\:$port/$iqn/$2" --rw=randwrite \
         --bs=4k --iodepth=32 --runtime=10 --time_based --output-format=terse 2>/dev/null | cut -d';' -f49)
    printf "  fio randread %7s IOPS  randwrite %7s IOPS" "$fr" "$fw"
  fi
  echo
}

echo "cores: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$runs"); do
  bench "no spec (no throttle)" 0
  bench "spec 1e9 IOPS (throttled)" 1
done
s=$(seconds qemu-img bench -c 2500 -d 16 -s 4k -S 12k -t none --image-opts "$(opts $((port + 1)) "$iqn-500" 1)")
echo "spec 500 IOPS            qemu-img bench 4k read $(rate 2500 "$s") IOPS (limit 500)"
