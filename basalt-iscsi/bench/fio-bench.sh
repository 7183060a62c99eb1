#!/usr/bin/env bash
# Basalt's iSCSI target against tgt on the same 1 GiB file, in the same run, over 127.0.0.1, with
# fio's libiscsi engine: sequential read and write of 1 MiB at queue depth 16, random 4 KiB read
# and write at queue depth 32. Prints a table per run: MB/s for sequential, IOPS for random, the
# ratio Basalt / tgt, and the CPU time each target process spent per I/O (user + system, from
# /proc; less at the mercy of other load than the rates). Asserts nothing.
# The two targets take turns workload by workload (tgt first in odd runs, Basalt first in even
# ones), each from a file already in the page cache, so a change in the machine's load or in what
# is cached touches both alike. Before the first run each workload runs 3 s against both, so that
# Basalt's JVM is compiled.
#
#   basalt-iscsi/bench/fio-bench.sh [work-dir]
#
# RUNS (default 3) tables; FIO_SECONDS (default 15) per workload and target. Needs root (tgt, and
# fio-build.sh the first time), tgt and jq installed, and the module built
# (./mvnw -pl basalt-iscsi -am install).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="${1:-$(mktemp -d /tmp/basalt-fio-bench.XXXXXX)}"
runs="${RUNS:-3}"
seconds="${FIO_SECONDS:-15}"
fio="$("$here/fio-build.sh")"
. "$here/targets.sh"
. "$here/fio-workloads.sh"

# fio splits file names at ':', so the URL's colons are escaped
url() { printf 'iscsi\\://127.0.0.1\\:%s/%s/%s' "$1" "${2//:/\\:}" "$3"; }

# measure seconds rw block-size depth unit target-pid port iqn lun: prints "rate cpu-us-per-io"
measure() {
  local time="$1" rw="$2" bs="$3" depth="$4" unit="$5" pid="$6" json before after
  cat "$file" >/dev/null                                   # both targets start from a cached file
  before=$(cpu_ticks "$pid")
  # fio notes that the engine is "synchronous" and caps the depth; it does not: the engine queues
  # (its "IO depths" show the full depth). The note precedes the JSON on stdout.
  json="$("$fio" --output-format=json --name=bench --ioengine=libiscsi --filename="$(url "$7" "$8" "$9")" \
    --rw="$rw" --bs="$bs" --iodepth="$depth" --direct=1 --time_based --runtime="$time" \
    --randrepeat=0 2>"$work/fio.err" | sed -n '/^{/,$p')" || { cat "$work/fio.err" >&2; echo "0 -"; return; }
  after=$(cpu_ticks "$pid")
  fio_rate "$json" "$rw" "$unit" $((after - before))
}

on_tgt() { measure "$1" "$2" "$3" "$4" "$5" "$tgt_pid" "$tgt_port" "$iqn_tgt" 1; }
on_basalt() { measure "$1" "$2" "$3" "$4" "$5" "$basalt_pid" "$basalt_port" "$iqn_basalt" 0; }

echo "fio $("$fio" --version) (libiscsi engine), ${seconds} s per workload, cores: $(nproc)"
echo "warming up (3 s of each workload on both targets)"
for w in "${fio_workloads[@]}"; do
  read -r name rw bs depth unit <<<"$w"
  on_tgt 3 "$rw" "$bs" "$depth" "$unit" >/dev/null
  on_basalt 3 "$rw" "$bs" "$depth" "$unit" >/dev/null
done

for r in $(seq 1 "$runs"); do
  echo
  echo "run $r: load average before $(cut -d' ' -f1-3 /proc/loadavg)"
  printf "%-11s %-5s %9s %9s %6s   %s\n" workload unit tgt basalt ratio "target CPU per I/O (us): tgt basalt"
  for w in "${fio_workloads[@]}"; do
    read -r name rw bs depth unit <<<"$w"
    if (( r % 2 )); then
      read -r tgt tgt_cpu < <(on_tgt "$seconds" "$rw" "$bs" "$depth" "$unit")
      read -r basalt basalt_cpu < <(on_basalt "$seconds" "$rw" "$bs" "$depth" "$unit")
    else
      read -r basalt basalt_cpu < <(on_basalt "$seconds" "$rw" "$bs" "$depth" "$unit")
      read -r tgt tgt_cpu < <(on_tgt "$seconds" "$rw" "$bs" "$depth" "$unit")
    fi
    printf "%-11s %-5s %9s %9s %6s   %29s %6s\n" "$name" "$unit" "$tgt" "$basalt" \
      "$(awk -v b="$basalt" -v t="$tgt" 'BEGIN { if (t > 0) printf "%.2f", b / t; else print "-" }')" \
      "$tgt_cpu" "$basalt_cpu"
  done
  echo "load average after $(cut -d' ' -f1-3 /proc/loadavg)"
done
