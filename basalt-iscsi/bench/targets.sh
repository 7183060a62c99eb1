# Sourced by the target benchmarks: starts Basalt's target (RunTarget, LUN 0) and tgt (LUN 1) on
# the same 1 GiB file in $work, both on 127.0.0.1, and stops both when the script exits.
# Needs: $here (the bench directory) and $work set. Sets: basalt_port tgt_port iqn_basalt iqn_tgt,
# basalt_pid tgt_pid, file (the backing file).
# BASALT_JAVA_OPTS adds JVM options to the target (e.g. -XX:StartFlightRecording=...); MAVEN_REPO
# names the local Maven repository to resolve the classpath from (default ~/.m2/repository).
basalt_port=3291
tgt_port=3292
tgt_control=29
iqn_basalt=iqn.2024-01.dev.basalt:bench
iqn_tgt=iqn.2024-01.dev.basalt:bench-tgt

module="$(dirname "$here")"
root="$(dirname "$module")"
. "$root/bin/jdk.sh"
(cd "$root" && ./mvnw -B -q -f basalt-iscsi/pom.xml ${MAVEN_REPO:+-Dmaven.repo.local="$MAVEN_REPO"} \
  dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test >/dev/null)
classpath="$module/target/classes:$module/target/test-classes:$(cat "$work/cp.txt")"

file="$work/disk.raw"
if [ ! -f "$file" ]; then
  echo "writing a 1 GiB file of random data at $file"
  dd if=/dev/urandom of="$file" bs=1M count=1024 status=none
fi

target_pids=()
stop_targets() {
  # tgtd ignores SIGTERM; it stops when told, once its targets are gone
  tgtadm -C "$tgt_control" --lld iscsi --op delete --mode target --tid 1 --force >/dev/null 2>&1 || true
  tgtadm -C "$tgt_control" --op delete --mode system >/dev/null 2>&1 || true
  for p in "${target_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait "$basalt_pid" 2>/dev/null || true                        # lets the JVM write a flight recording
}
trap stop_targets EXIT

# shellcheck disable=SC2086  # BASALT_JAVA_OPTS is a list of options
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${BASALT_JAVA_OPTS:-} -cp "$classpath" \
  dev.basalt.iscsi.RunTarget --port "$basalt_port" "$iqn_basalt" "$file" >"$work/basalt.log" 2>&1 &
basalt_pid=$!
target_pids+=("$basalt_pid")
tgtd -f -C "$tgt_control" --iscsi portal=127.0.0.1:$tgt_port >"$work/tgtd.log" 2>&1 &
tgt_pid=$!
target_pids+=("$tgt_pid")
sleep 3
tgtadm -C "$tgt_control" --lld iscsi --op new --mode target --tid 1 -T "$iqn_tgt"
tgtadm -C "$tgt_control" --lld iscsi --op new --mode logicalunit --tid 1 --lun 1 -b "$file"
tgtadm -C "$tgt_control" --lld iscsi --op bind --mode target --tid 1 -I ALL
