package dev.basalt.testkit;

import java.nio.file.Path;

/**
 * The {@code ceph.conf} of a {@link CephServer}: one monitor on 127.0.0.1, cephx everywhere, pools
 * of one replica, every path (data, run, logs, crash reports) under the cluster's own directory, and
 * settings that keep the daemons small on a machine of two cores.
 */
final class CephConf {
    private CephConf() {
    }

    static String render(Path dir, String fsid, String monHost, long osdBlockBytes) {
        return String.join("\n",
                "[global]",
                "fsid = " + fsid,
                "mon host = " + monHost,
                "public addr = 127.0.0.1",
                "auth cluster required = cephx",
                "auth service required = cephx",
                "auth client required = cephx",
                "auth allow insecure global id reclaim = false",
                "run dir = " + dir.resolve("run"),
                "crash dir = " + dir.resolve("crash"),
                // one OSD: one replica, placed on OSDs rather than hosts, and no warning for it
                "osd pool default size = 1",
                "osd pool default min size = 1",
                "osd pool default pg autoscale mode = off",
                "osd crush chooseleaf type = 0",
                "mon allow pool size one = true",
                "mon allow pool delete = true",
                "mon warn on pool no redundancy = false",
                // a test machine's disk may be fuller than a monitor likes; it must not stop for that
                "mon data avail warn = 1",
                "mon data avail crit = 0",
                "mgr initial modules =",
                // the one monitor commits a map change (a pool's snapshot ids, which every RBD snapshot
                // create and delete asks for) at once instead of batching changes for up to a second
                "paxos propose interval = 0.01",
                "paxos min wait = 0.001",
                "",
                "[client]",
                "keyring = " + dir.resolve("$name.keyring"),
                "",
                "[mon]",
                "mon data = " + dir.resolve("mon"),
                "mon cluster log file = " + dir.resolve("log").resolve("cluster.log"),
                "log file = " + dir.resolve("log").resolve("$name.log"),
                "",
                "[mgr]",
                "mgr data = " + dir.resolve("mgr"),
                "log file = " + dir.resolve("log").resolve("$name.log"),
                "",
                "[osd]",
                "osd data = " + dir.resolve("osd"),
                "log file = " + dir.resolve("log").resolve("$name.log"),
                "osd objectstore = bluestore",
                // a sparse file of its own, linked from the data directory by mkfs
                "bluestore block path = " + dir.resolve("osd.block"),
                "bluestore block create = true",
                "bluestore block size = " + osdBlockBytes,
                "bluestore cache autotune = false",
                "bluestore cache size = " + (64L << 20),
                "osd memory target = " + (896L << 20),
                "osd op num shards = 1",
                "osd op num threads per shard = 2",
                "",
                "");
    }
}
