# Sourced by the RBD benchmarks: starts a throwaway single-node Ceph (basalt-testkit's CephServer, ~20 s;
# one 8 GiB OSD on a sparse file) and sets conf, user, keyring and pool, and BASALT_EXTRA_CONF for a
# `basalt all` whose backend `ceph` is the RBD driver on that pool (max_over_subscription_ratio = 1000 so
# that thin volumes larger than the OSD are placed). ceph_instance_stop stops the cluster and removes its
# files; the sourcing script calls it on exit. Needs the Ceph packages (bin/test-deps) and built modules
# (./mvnw install -DskipTests); sets root and JAVA_HOME (bin/jdk.sh).
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
. "$root/bin/jdk.sh"
ceph_work="$(mktemp -d /tmp/basalt-ceph-bench.XXXXXX)"
ceph_instance_stop() {
  exec 9>&- 2>/dev/null || true   # the Ceph stops when its input closes
  wait "$ceph_pid" 2>/dev/null || true
  rm -rf "$ceph_work"
}
(cd "$root" && ./mvnw -B -q ${MAVEN_REPO:+-Dmaven.repo.local="$MAVEN_REPO"} dependency:build-classpath \
  -pl basalt-testkit -Dmdep.outputFile="$ceph_work/classpath" >/dev/null)
mkfifo "$ceph_work/servers.in"
BENCH_SERVERS=ceph "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "$root/basalt-testkit/target/classes:$(cat "$ceph_work/classpath")" dev.basalt.testkit.ServersMain \
  < "$ceph_work/servers.in" > "$ceph_work/servers.out" 2> "$ceph_work/servers.err" &
ceph_pid=$!
exec 9> "$ceph_work/servers.in"
for _ in $(seq 1 900); do grep -q '^ready' "$ceph_work/servers.out" 2>/dev/null && break; sleep 0.2; done
grep -q '^ready' "$ceph_work/servers.out" || { cat "$ceph_work/servers.err"; ceph_instance_stop; exit 1; }
ceph_line="$(grep '^ceph=' "$ceph_work/servers.out")"
conf="$(sed -n 's/^ceph=\([^ ]*\) .*/\1/p' <<<"$ceph_line")"
user="$(sed -n 's/.* user=\([^ ]*\) .*/\1/p' <<<"$ceph_line")"
keyring="$(sed -n 's/.* keyring=\([^ ]*\) .*/\1/p' <<<"$ceph_line")"
pool="$(sed -n 's/.* pool=\([^ ]*\)$/\1/p' <<<"$ceph_line")"
echo "ceph: $conf as client.$user, pool $pool"
export BASALT_EXTRA_CONF="[DEFAULT]
enabled_backends = ceph
[ceph]
volume_driver = rbd
rbd_pool = $pool
rbd_user = $user
rbd_ceph_conf = $conf
rbd_keyring_conf = $keyring
rados_connect_timeout = 10
max_over_subscription_ratio = 1000"
