package dev.basalt.driver.rbd;

import static java.util.Objects.requireNonNull;

import dev.basalt.driver.VolumeClear;
import dev.basalt.rbd.RadosSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Configuration of the {@code rbd} driver, from a backend section of cinder.conf (Cinder's option
 * names and defaults).
 *
 * @param pool                       {@code rbd_pool}: the pool of the volumes' images
 * @param clientName                 {@code rbd_user} as a RADOS client name ({@code client.<user>})
 * @param confFile                   {@code rbd_ceph_conf}: monitors, fsid, auth settings
 * @param clusterName                {@code rbd_cluster_name}
 * @param keyring                    {@code rbd_keyring_conf}: the user's keyring; empty: the one ceph.conf names
 * @param secretUuid                 {@code rbd_secret_uuid}: libvirt's secret for the user (for hosts)
 * @param flattenVolumeFromSnapshot  {@code rbd_flatten_volume_from_snapshot}
 * @param maxCloneDepth              {@code rbd_max_clone_depth}: 0 or less: every copy is flattened
 * @param objectOrder                log2 of the object size, from {@code rbd_store_chunk_size} (MiB)
 * @param connectTimeout             {@code rados_connect_timeout} when positive: bounds connecting and
 *                                   every monitor and OSD operation; empty: librados's own waits
 * @param reportDynamicTotalCapacity {@code report_dynamic_total_capacity}
 * @param clear                      {@code volume_clear}: discard a deleted volume's data first
 * @param backendName                {@code volume_backend_name}, the pool's name for the scheduler
 * @param user                       {@code rbd_user} as configured (empty when unset: the driver then
 *                                   connects as {@code client.admin}, and hosts are told no auth, as Cinder)
 * @param connectionAttempts         {@code rados_connection_retries}: how many times connecting is tried
 *                                   (Cinder's name; it counts attempts, not retries), at least 1
 * @param connectionInterval         {@code rados_connection_interval}: the wait after the first failed
 *                                   attempt, doubled after each next one (Cinder's exponential wait)
 */
public record RbdDriverSettings(String pool, String clientName, Path confFile, String clusterName,
                                Optional<Path> keyring, Optional<String> secretUuid,
                                boolean flattenVolumeFromSnapshot, int maxCloneDepth, int objectOrder,
                                Optional<Duration> connectTimeout, boolean reportDynamicTotalCapacity,
                                VolumeClear clear, String backendName, Optional<String> user,
                                int connectionAttempts, Duration connectionInterval) {

    public RbdDriverSettings {
        requireNonNull(pool, "pool");
        requireNonNull(clientName, "clientName");
        requireNonNull(confFile, "confFile");
        requireNonNull(clusterName, "clusterName");
        requireNonNull(keyring, "keyring");
        requireNonNull(secretUuid, "secretUuid");
        requireNonNull(connectTimeout, "connectTimeout");
        requireNonNull(clear, "clear");
        requireNonNull(backendName, "backendName");
        requireNonNull(user, "user");
        requireNonNull(connectionInterval, "connectionInterval");
        if (connectionAttempts < 1) {
            throw new IllegalArgumentException("rados_connection_retries must be at least 1, got " + connectionAttempts);
        }
        if (connectionInterval.isNegative()) {
            throw new IllegalArgumentException("rados_connection_interval must not be negative, got "
                    + connectionInterval.toSeconds());
        }
        if (objectOrder < 12 || objectOrder > 26) {
            throw new IllegalArgumentException("object order must be 12 to 26, got " + objectOrder);
        }
    }

    /** How librados connects with these settings. */
    public RadosSettings rados() {
        return new RadosSettings(confFile, clusterName, clientName, keyring, connectTimeout);
    }

    /** The wait before connection attempt {@code attempt} (2 or more): the interval, doubled for each attempt after the second. */
    Duration waitBeforeAttempt(int attempt) {
        return connectionInterval.multipliedBy(1L << Math.min(attempt - 2, 20));
    }

    /** The object order for a chunk size in MiB ({@code rbd_store_chunk_size}): a power of two, 1 to 64. */
    static int objectOrder(int chunkSizeMib) {
        if (chunkSizeMib < 1 || chunkSizeMib > 64 || Integer.bitCount(chunkSizeMib) != 1) {
            throw new IllegalArgumentException("rbd_store_chunk_size must be a power of two from 1 to 64 (MiB), got "
                    + chunkSizeMib);
        }
        return 20 + Integer.numberOfTrailingZeros(chunkSizeMib);
    }

    /** Cinder's {@code rados_connect_timeout}: seconds when positive, otherwise none (librados decides). */
    static Optional<Duration> connectTimeout(int seconds) {
        return seconds > 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
    }

    /** The RADOS client name of {@code rbd_user}: {@code client.<user>}; unset: {@code client.admin}, as librados. */
    static String clientName(Optional<String> user) {
        String id = user.map(String::strip).filter(u -> !u.isEmpty()).orElse("admin");
        return id.startsWith("client.") ? id : "client." + id;
    }
}
