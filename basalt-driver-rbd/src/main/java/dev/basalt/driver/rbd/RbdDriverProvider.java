package dev.basalt.driver.rbd;

import dev.basalt.driver.DriverContext;
import dev.basalt.driver.DriverOption;
import dev.basalt.driver.OptionKind;
import dev.basalt.driver.VolumeDriver;
import dev.basalt.driver.VolumeDriverProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Makes {@link RbdVolumeDriver}s: {@code volume_driver = rbd} or Cinder's {@code cinder.volume.drivers.rbd.RBDDriver}. */
public final class RbdDriverProvider implements VolumeDriverProvider {
    /** Cinder's class path of its RBD driver, accepted as {@code volume_driver}. */
    public static final String CINDER_CLASS_PATH = "cinder.volume.drivers.rbd.RBDDriver";

    public static final DriverOption<String> RBD_POOL = DriverOption.of("rbd_pool", OptionKind.text(), "rbd",
            "The RADOS pool where rbd volumes are stored.");
    public static final DriverOption<String> RBD_USER = DriverOption.optional("rbd_user", OptionKind.text(),
            "The RADOS user (without client.) that reaches the volumes; unset: client.admin.");
    public static final DriverOption<Path> RBD_CEPH_CONF = DriverOption.optional("rbd_ceph_conf", OptionKind.path(),
            "Path to the ceph configuration file; unset: /etc/ceph/<rbd_cluster_name>.conf, as librados.");
    public static final DriverOption<Path> RBD_KEYRING_CONF = DriverOption.optional("rbd_keyring_conf",
            OptionKind.path(), "Path to the rbd_user's keyring (deprecated in Cinder); unset: the keyring ceph.conf names.");
    public static final DriverOption<String> RBD_CLUSTER_NAME = DriverOption.of("rbd_cluster_name", OptionKind.text(),
            "ceph", "The name of the ceph cluster.");
    public static final DriverOption<String> RBD_SECRET_UUID = DriverOption.optional("rbd_secret_uuid",
            OptionKind.text(), "The libvirt uuid of the secret for the rbd_user volumes; unset: the cluster's fsid.");
    public static final DriverOption<Boolean> RBD_FLATTEN_VOLUME_FROM_SNAPSHOT = DriverOption.of(
            "rbd_flatten_volume_from_snapshot", OptionKind.bool(), "false",
            "Flatten volumes created from snapshots to remove their dependency on the snapshot.");
    public static final DriverOption<Integer> RBD_MAX_CLONE_DEPTH = DriverOption.of("rbd_max_clone_depth",
            OptionKind.integer(Integer.MIN_VALUE, Integer.MAX_VALUE), "5",
            "Most nested copy-on-write clones before a new copy is flattened; 0: every copy is flattened (a full copy).");
    public static final DriverOption<Integer> RBD_STORE_CHUNK_SIZE = DriverOption.of("rbd_store_chunk_size",
            OptionKind.integer(1, 64), "4", "Size in MiB of the objects volumes are chunked into (a power of two).");
    public static final DriverOption<Integer> RADOS_CONNECT_TIMEOUT = DriverOption.of("rados_connect_timeout",
            OptionKind.integer(Integer.MIN_VALUE, Integer.MAX_VALUE), "-1",
            "Seconds to wait for the cluster when connecting and on each operation; < 0: librados's defaults.");
    public static final DriverOption<Integer> RADOS_CONNECTION_RETRIES = DriverOption.of("rados_connection_retries",
            OptionKind.integer(1, 100), "3", "How many times connecting to the cluster is tried before it fails.");
    public static final DriverOption<Integer> RADOS_CONNECTION_INTERVAL = DriverOption.of("rados_connection_interval",
            OptionKind.integer(0, 3600), "5",
            "Seconds to wait after a failed connection attempt, doubled after each next one.");
    public static final DriverOption<Boolean> REPORT_DYNAMIC_TOTAL_CAPACITY = DriverOption.of(
            "report_dynamic_total_capacity", OptionKind.bool(), "true",
            "Report total capacity as used + free (true) or as the pool's quota, else the cluster's size (false).");

    @Override
    public String name() {
        return RbdVolumeDriver.NAME;
    }

    @Override
    public List<String> aliases() {
        return List.of(CINDER_CLASS_PATH, RbdVolumeDriver.class.getName());
    }

    @Override
    public List<DriverOption<?>> options() {
        return List.of(RBD_POOL, RBD_USER, RBD_CEPH_CONF, RBD_KEYRING_CONF, RBD_CLUSTER_NAME, RBD_SECRET_UUID,
                RBD_FLATTEN_VOLUME_FROM_SNAPSHOT, RBD_MAX_CLONE_DEPTH, RBD_STORE_CHUNK_SIZE, RADOS_CONNECT_TIMEOUT,
                RADOS_CONNECTION_RETRIES, RADOS_CONNECTION_INTERVAL, REPORT_DYNAMIC_TOTAL_CAPACITY);
    }

    @Override
    public VolumeDriver create(DriverContext context) {
        return new RbdVolumeDriver(settings(context));
    }

    @Override
    public String describe(DriverContext context) {
        RbdDriverSettings settings = settings(context);
        return RbdVolumeDriver.NAME + " driver, pool " + settings.pool() + " as " + settings.clientName() + " ("
                + settings.confFile() + ")";
    }

    /**
     * The settings of a backend.
     *
     * @throws IllegalArgumentException naming the option when a value is not usable
     */
    static RbdDriverSettings settings(DriverContext context) {
        String cluster = context.option(RBD_CLUSTER_NAME);
        return new RbdDriverSettings(context.option(RBD_POOL),
                RbdDriverSettings.clientName(context.find(RBD_USER)),
                context.find(RBD_CEPH_CONF).orElse(Path.of("/etc/ceph", cluster + ".conf")),
                cluster, context.find(RBD_KEYRING_CONF), context.find(RBD_SECRET_UUID),
                context.option(RBD_FLATTEN_VOLUME_FROM_SNAPSHOT), context.option(RBD_MAX_CLONE_DEPTH),
                RbdDriverSettings.objectOrder(context.option(RBD_STORE_CHUNK_SIZE)),
                RbdDriverSettings.connectTimeout(context.option(RADOS_CONNECT_TIMEOUT)),
                context.option(REPORT_DYNAMIC_TOTAL_CAPACITY), context.volumeClear(), context.volumeBackendName(),
                context.find(RBD_USER).map(String::strip).filter(user -> !user.isEmpty()),
                context.option(RADOS_CONNECTION_RETRIES), Duration.ofSeconds(context.option(RADOS_CONNECTION_INTERVAL)));
    }
}
