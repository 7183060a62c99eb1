#!/usr/bin/env bash
# Benchmark of issue 10's backup repository (basalt-backup): MB/s of data for a full backup, an
# incremental after changing 1% (reading all data, and with the FIEMAP hint on XFS), and a restore,
# for a volume holding random data and zeros in 64 MiB extents, and for a large sparse volume; next
# to the disk's own sequential read and write speed (dd, O_DIRECT) and the load average.
#
# Volumes live on a loop-mounted XFS (reflink=1; FS=ext4 to use a directory of $TMPDIR instead),
# the repository in a directory of $TMPDIR (the root filesystem). Needs root for the loop mount and
# for dropping the page cache between steps. Everything is removed at the end; the output is kept
# under bench/out/.
#
#   bench/backup-bench.sh                                       # the issue's sizes (10 GiB / 2+1 GiB; 1 TiB / 20 GiB)
#   VOLUME_GIB=2 DATA_GIB=0.5 ZERO_GIB=0.25 SPARSE_GIB=64 SPARSE_DATA_GIB=1 bench/backup-bench.sh   # quick
#   COMPRESSION=zlib WORKERS=4 FS=ext4 DD_MIB=512 bench/backup-bench.sh
#   REPOSITORY_PARENT=/dev/shm bench/backup-bench.sh   # the repository on other storage than the volumes
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
tmp="${TMPDIR:-/tmp}"
fs="${FS:-xfs}"
dd_mib="${DD_MIB:-1024}"

[ "$(id -u)" = 0 ] || { echo "backup-bench: needs root (loop mount, drop_caches)" >&2; exit 1; }
work="$(mktemp -d "$tmp/basalt-backup-bench.XXXXXX")"
repository="$(mktemp -d "${REPOSITORY_PARENT:-$work}/basalt-backup-repository.XXXXXX")"
mounted=""
cleanup() {
  [ -z "$mounted" ] || umount "$mounted" 2>/dev/null || umount -l "$mounted" 2>/dev/null || true
  rm -rf "$repository" "$work"
}
trap cleanup EXIT

cd "$root"
. bin/jdk.sh
m2=()
[ -z "${MAVEN_REPO_LOCAL:-}" ] || m2=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL")
echo "building basalt-backup (tests compiled, not run) ..." >&2
./mvnw -B -q "${m2[@]}" -pl basalt-backup -am install -DskipTests
./mvnw -B -q "${m2[@]}" -pl basalt-backup dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/classpath" >/dev/null
classpath="basalt-backup/target/test-classes:basalt-backup/target/classes:$(cat "$work/classpath")"

volumes="$work/volumes"
mkdir -p "$volumes"
case "$fs" in
  xfs)
    command -v mkfs.xfs >/dev/null || { echo "backup-bench: apt-get install xfsprogs (or FS=ext4)" >&2; exit 1; }
    truncate -s 1200G "$work/xfs.img"
    mkfs.xfs -q -f -m reflink=1 "$work/xfs.img"
    mount -t xfs -o loop "$work/xfs.img" "$volumes"
    mounted="$volumes"
    ;;
  ext4) ;;
  *) echo "backup-bench: FS is xfs or ext4, not $fs" >&2; exit 1 ;;
esac

mkdir -p bench/out
out="bench/out/backup-bench-$(date +%Y%m%d-%H%M%S).txt"
{
  echo "backup-bench $(date -Is) on $(nproc) processors, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) memory"
  echo "disk (dd ${dd_mib} MiB, O_DIRECT, 4 MiB blocks), load $(cut -d' ' -f1-3 /proc/loadavg):"
  for dir in "$volumes" "$repository"; do
    probe="$dir/dd-probe"
    w="$(dd if=/dev/zero of="$probe" bs=4M count=$((dd_mib / 4)) oflag=direct conv=fsync 2>&1 | tail -1 | sed 's/.*, //')"
    sync; echo 3 > /proc/sys/vm/drop_caches
    r="$(dd if="$probe" of=/dev/null bs=4M iflag=direct 2>&1 | tail -1 | sed 's/.*, //')"
    rm -f "$probe"
    echo "  $(stat -f -c %T "$dir") at $dir: write $w, read $r"
  done
  "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -cp "$classpath" dev.basalt.backup.bench.BackupBench \
    "$volumes" "$repository"
} | tee "$out"
echo "(kept in $out)" >&2
