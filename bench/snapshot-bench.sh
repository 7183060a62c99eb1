#!/usr/bin/env bash
# Driver-level benchmark of issue 3: how long the file driver takes to snapshot, clone and make a
# volume from a snapshot, for volumes of 1, 10 and 100 GiB holding 1 GiB of data, on XFS (reflink),
# btrfs and ext4 in the same run. Goal: XFS/btrfs <= 50 ms at every size; ext4 proportional to the
# data, not to the volume's size.
#
# Needs root (loop mounts), xfsprogs and btrfs-progs. XFS and btrfs are made on sparse image files
# under $TMPDIR (default /tmp) and loop-mounted; ext4 is a directory of the root filesystem (set
# EXT4_DIR to use another). Everything is removed at the end. Prints a table and keeps it under
# bench/out/.
#
#   bench/snapshot-bench.sh                                  # sizes 1,10,100 GiB, 1 GiB data, 3 runs
#   SIZES=1,10 RUNS=5 FILESYSTEMS="xfs ext4" bench/snapshot-bench.sh
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
sizes="${SIZES:-1,10,100}"
data_gib="${DATA_GIB:-1}"
runs="${RUNS:-3}"
filesystems="${FILESYSTEMS:-xfs btrfs ext4}"
tmp="${TMPDIR:-/tmp}"

[ "$(id -u)" = 0 ] || { echo "snapshot-bench: needs root for the loop mounts" >&2; exit 1; }
for fs in $filesystems; do
  case "$fs" in
    xfs) command -v mkfs.xfs >/dev/null || { echo "snapshot-bench: apt-get install xfsprogs" >&2; exit 1; } ;;
    btrfs) command -v mkfs.btrfs >/dev/null || { echo "snapshot-bench: apt-get install btrfs-progs" >&2; exit 1; } ;;
    ext4) ;;
    *) echo "snapshot-bench: unknown filesystem $fs (xfs, btrfs, ext4)" >&2; exit 1 ;;
  esac
done

work="$(mktemp -d "$tmp/basalt-snapshot-bench.XXXXXX")"
mounts=()
ext4_dir=""
cleanup() {
  for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
  rm -rf "$work"
  [ -z "$ext4_dir" ] || rm -rf "$ext4_dir"
}
trap cleanup EXIT

cd "$root"
. bin/jdk.sh
echo "building basalt-driver-file (tests compiled, not run) ..." >&2
./mvnw -B -q -pl basalt-driver-file -am install -DskipTests
./mvnw -B -q -pl basalt-driver-file dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/classpath" >/dev/null
classpath="basalt-driver-file/target/test-classes:basalt-driver-file/target/classes:$(cat "$work/classpath")"

targets=()
for fs in $filesystems; do
  if [ "$fs" = ext4 ]; then
    ext4_dir="$(mktemp -d "${EXT4_DIR:-$tmp}/basalt-snapshot-bench-ext4.XXXXXX")"
    [ "$(stat -f -c %T "$ext4_dir")" = ext2/ext3 ] || echo "note: $ext4_dir is on $(stat -f -c %T "$ext4_dir"), not ext4" >&2
    targets+=("ext4=$ext4_dir")
    continue
  fi
  image="$work/$fs.img"
  truncate -s 32G "$image"
  case "$fs" in
    xfs) mkfs.xfs -q -f -m reflink=1 "$image" ;;
    btrfs) mkfs.btrfs -q -f "$image" ;;
  esac
  mkdir -p "$work/$fs"
  mount -t "$fs" -o loop "$image" "$work/$fs"
  mounts+=("$work/$fs")
  targets+=("$fs=$work/$fs")
done

echo "free space: $(df -h --output=avail "$tmp" | tail -1 | tr -d ' ') in $tmp" >&2
mkdir -p bench/out
out="bench/out/snapshot-bench-$(date +%Y%m%d-%H%M%S).txt"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$classpath" dev.basalt.driver.file.SnapshotBench \
  --sizes "$sizes" --data-gib "$data_gib" --runs "$runs" "${targets[@]}" | tee "$out"
echo "(kept in $out)" >&2
