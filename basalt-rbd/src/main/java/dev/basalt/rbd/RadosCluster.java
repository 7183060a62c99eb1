package dev.basalt.rbd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection to a Ceph cluster as one user ({@code rados_t}): opens pools for RBD
 * ({@link #openPool}), reports capacity (cluster stats, a pool's stats, a pool's {@code df} line and
 * quota) and runs monitor commands.
 *
 * <p>Thread safety: librados handles are safe to share between threads, and so is this object; any
 * number of calls run at once. {@link #close()} waits for calls in flight, then closes the pools and
 * images opened from it and shuts the connection down; calls after it fail with
 * {@link IllegalStateException}.
 */
public final class RadosCluster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NativeHandle handle;

    private RadosCluster(NativeHandle handle) {
        this.handle = handle;
    }

    /**
     * Connects as {@code settings} say. Fails with a {@link CephException}: {@code ETIMEDOUT} when no
     * monitor answers within the timeout, {@code EACCES}/{@code EPERM} for a wrong key or unknown
     * user, {@code ENOENT} for a keyring or conf file that is not there, …
     */
    public static RadosCluster connect(RadosSettings settings) throws CephException {
        Librados.load();
        String target = settings.clientName() + "@" + settings.clusterName() + " (" + settings.confFile() + ")";
        long[] out = new long[1];
        CephException.check(Librados.rados_create2(out, settings.clusterName(), settings.clientName(), 0),
                "rados_create2", target);
        Pointer cluster = new Pointer(out[0]);
        try {
            CephException.check(Librados.rados_conf_read_file(cluster, settings.confFile().toString()),
                    "rados_conf_read_file", target);
            if (settings.keyring().isPresent()) {
                set(cluster, "keyring", settings.keyring().get().toString(), target);
            }
            if (settings.timeout().isPresent()) {
                String seconds = Long.toString(Math.max(1, settings.timeout().get().toSeconds()));
                for (String option : new String[] {"client_mount_timeout", "rados_mon_op_timeout", "rados_osd_op_timeout"}) {
                    set(cluster, option, seconds, target);
                }
            }
            CephException.check(Librados.rados_connect(cluster), "rados_connect", target);
        } catch (CephException | RuntimeException e) {
            Librados.rados_shutdown(cluster);
            throw e;
        }
        return new RadosCluster(NativeHandle.root(target, cluster, Librados::rados_shutdown));
    }

    /** Opens {@code pool} for RBD; fails with {@link CephNotFoundException} when it does not exist. */
    public RbdPool openPool(String pool) throws CephException {
        return new RbdPool(pool, handle.open(pool, cluster -> {
            long[] ioctx = new long[1];
            CephException.check(Librados.rados_ioctx_create(cluster, pool, ioctx), "rados_ioctx_create", pool);
            return new Pointer(ioctx[0]);
        }, Librados::rados_ioctx_destroy));
    }

    /** The raw capacity and use of the whole cluster. */
    public ClusterStats clusterStats() throws CephException {
        return handle.use(cluster -> {
            try (Memory stats = new Memory(4 * Long.BYTES)) {
                CephException.check(Librados.rados_cluster_stat(cluster, stats), "rados_cluster_stat", handle.name());
                return new ClusterStats(stats.getLong(0) * 1024, stats.getLong(8) * 1024, stats.getLong(16) * 1024,
                        stats.getLong(24));
            }
        });
    }

    /** {@code pool}'s use as its OSDs count it. */
    public PoolStats poolStats(String pool) throws CephException {
        try (RbdPool opened = openPool(pool)) {
            return opened.stats();
        }
    }

    /**
     * {@code pool}'s line of {@code df} and its quota (two monitor commands), from which Cinder
     * computes a pool's total and free capacity. Needs the manager running.
     */
    public PoolUsage poolUsage(String pool) throws CephException {
        JsonNode df = monCommandJson(command("df"));
        for (JsonNode line : df.path("pools")) {
            if (pool.equals(line.path("name").asText())) {
                JsonNode stats = line.path("stats");
                ObjectNode quotaCommand = command("osd pool get-quota").put("pool", pool);
                long quota = monCommandJson(quotaCommand).path("quota_max_bytes").asLong(0);
                return new PoolUsage(pool, stats.path("stored").asLong(stats.path("bytes_used").asLong()),
                        stats.path("bytes_used").asLong(), stats.path("max_avail").asLong(),
                        stats.path("objects").asLong(), quota);
            }
        }
        throw CephException.of("df", pool, -Errno.ENOENT, "the cluster has no pool " + pool);
    }

    /**
     * Runs a monitor command ({@code {"prefix": "...", ...}}) and returns what it wrote; fails with a
     * {@link CephException} carrying the monitor's message.
     */
    public String monCommand(String json) throws CephException {
        return handle.use(cluster -> {
            long[] output = new long[1];
            long[] outputLength = new long[1];
            long[] status = new long[1];
            long[] statusLength = new long[1];
            int result = Librados.rados_mon_command(cluster, new StringArray(new String[] {json}), 1, null, 0, output,
                    outputLength, status, statusLength);
            String out = take(output[0], outputLength[0]);
            String message = take(status[0], statusLength[0]);
            if (result < 0) {
                throw CephException.of("rados_mon_command", json, result, message);
            }
            return out;
        });
    }

    /**
     * The monitors' addresses as {@code host:port} (their legacy v1 addresses from the monmap, IPv6
     * without brackets), which a host's librbd is given to reach the cluster.
     */
    public List<MonitorAddress> monitorAddresses() throws CephException {
        List<MonitorAddress> addresses = new ArrayList<>();
        for (JsonNode mon : monCommandJson(command("mon dump")).path("mons")) {
            String addr = mon.path("addr").asText();
            int slash = addr.lastIndexOf('/');
            String hostPort = slash < 0 ? addr : addr.substring(0, slash);
            int colon = hostPort.lastIndexOf(':');
            if (colon > 0) {
                addresses.add(new MonitorAddress(hostPort.substring(0, colon).replace("[", "").replace("]", ""),
                        hostPort.substring(colon + 1)));
            }
        }
        return addresses;
    }

    /** Shuts the connection down, after closing the pools and images opened from it. */
    @Override
    public void close() {
        handle.close();
    }

    private JsonNode monCommandJson(ObjectNode command) throws CephException {
        String out = monCommand(command.toString());
        try {
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable answer to " + command + ": " + out, e);
        }
    }

    private static ObjectNode command(String prefix) {
        return JSON.createObjectNode().put("prefix", prefix).put("format", "json");
    }

    /** The text of a buffer librados allocated, which is then freed. */
    private static String take(long address, long length) {
        if (address == 0) {
            return "";
        }
        Pointer buffer = new Pointer(address);
        try {
            return new String(buffer.getByteArray(0, (int) length), StandardCharsets.UTF_8);
        } finally {
            Librados.rados_buffer_free(buffer);
        }
    }

    private static void set(Pointer cluster, String option, String value, String target) throws CephException {
        CephException.check(Librados.rados_conf_set(cluster, option, value), "rados_conf_set " + option, target);
    }

    /** For messages: the user, cluster and conf file. */
    @Override
    public String toString() {
        return handle.name();
    }
}
