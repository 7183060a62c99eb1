# Sourced by the fio benchmarks (basalt-iscsi/bench/fio-bench.sh, bench/rbd-gateway-bench.sh): the
# workloads they run and how one fio run's JSON output becomes a rate and a CPU cost.

# name rw block-size depth unit: sequential 1 MiB at queue depth 16, random 4 KiB at queue depth 32
fio_workloads=(
  "seq-read    read      1M 16 MB/s"
  "seq-write   write     1M 16 MB/s"
  "rand-read   randread  4k 32 IOPS"
  "rand-write  randwrite 4k 32 IOPS"
)

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }     # utime + stime of process $1

# fio_rate json rw unit ticks: prints "rate cpu-us-per-io" for fio's JSON output of one job, where
# ticks is the CPU (clock ticks) the measured process spent meanwhile; the rate is MB/s or IOPS (unit)
fio_rate() {
  local direction=read
  [[ "$2" == *write ]] && direction=write
  jq -r --arg unit "$3" --argjson ticks "$4" --argjson hz "$(getconf CLK_TCK)" \
    ".jobs[0].$direction as \$d
     | (if \$unit == \"IOPS\" then \$d.iops else \$d.bw_bytes / 1000000 end | floor) as \$rate
     | \"\(\$rate) \(if \$d.total_ios > 0 then \$ticks / \$hz * 1000000 / \$d.total_ios | . * 10 | round / 10 else \"-\" end)\"" \
    <<<"$1"
}
