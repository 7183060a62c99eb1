package dev.basalt.rbd;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How to reach a cluster: its {@code ceph.conf} (monitor addresses, fsid, auth), the cluster name
 * ({@code ceph}), the user ({@code client.cinder}), its keyring (otherwise the one ceph.conf
 * names) and a timeout. The timeout bounds connecting and every monitor and OSD operation
 * ({@code client_mount_timeout}, {@code rados_mon_op_timeout}, {@code rados_osd_op_timeout}), as
 * Cinder's {@code rados_connect_timeout} does; without it librados waits as long as it likes.
 */
public record RadosSettings(Path confFile, String clusterName, String clientName, Optional<Path> keyring,
        Optional<Duration> timeout) {

    public RadosSettings {
        requireNonNull(confFile, "confFile");
        requireNonNull(clusterName, "clusterName");
        requireNonNull(clientName, "clientName");
        requireNonNull(keyring, "keyring");
        requireNonNull(timeout, "timeout");
        if (!clientName.contains(".")) {
            throw new IllegalArgumentException("client name must be type.id, e.g. client.cinder: " + clientName);
        }
        if (timeout.isPresent() && (timeout.get().isNegative() || timeout.get().isZero())) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout.get());
        }
    }

    /** Cluster {@code ceph}, the given user and keyring, a timeout. */
    public static RadosSettings of(Path confFile, String clientName, Path keyring, Duration timeout) {
        return new RadosSettings(confFile, "ceph", clientName, Optional.of(keyring), Optional.of(timeout));
    }
}
