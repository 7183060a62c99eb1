package dev.basalt.backup.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.backup.BackupRequest;
import dev.basalt.backup.Compression;
import java.time.Duration;

/**
 * What a backup service needs from configuration, named after the cinder.conf options the
 * composition root maps into it.
 *
 * @param host             {@code host}: this node; the service's address on the bus ({@code backup.host})
 *                         and the host whose volumes it reads and writes
 * @param availabilityZone {@code storage_availability_zone}: the zone the service registers in
 * @param reportInterval   {@code report_interval}: how often the service row heartbeats
 * @param messageTtl       {@code message_ttl}: how long a user message lives
 * @param rpcTimeout       {@code rpc_response_timeout}: how long to wait for a volume service's answer
 * @param chunkSize        {@code backup_file_size}: bytes per chunk of a new backup
 * @param compression      {@code backup_compression_algorithm}: how new chunks are compressed
 * @param driverName       what the backup driver is called in a backup's {@code service} (Cinder's
 *                         class path, {@code cinder.backup.drivers.posix.PosixBackupDriver})
 */
public record BackupServiceSettings(
        String host,
        String availabilityZone,
        Duration reportInterval,
        Duration messageTtl,
        Duration rpcTimeout,
        int chunkSize,
        Compression compression,
        String driverName) {

    /** Cinder's class path of the POSIX backup driver, which Basalt reports as its backups' service. */
    public static final String POSIX_DRIVER = "cinder.backup.drivers.posix.PosixBackupDriver";

    public BackupServiceSettings {
        requireNonNull(host, "host");
        if (host.isEmpty() || host.contains("@") || host.contains("#")) {
            throw new IllegalArgumentException("a backup service's host is a host name, without @backend or #pool: "
                    + host);
        }
        requireNonNull(availabilityZone, "availabilityZone");
        requirePositive(reportInterval, "reportInterval");
        requirePositive(messageTtl, "messageTtl");
        requirePositive(rpcTimeout, "rpcTimeout");
        requireNonNull(compression, "compression");
        requireNonNull(driverName, "driverName");
        if (chunkSize < BackupRequest.MIN_CHUNK_SIZE || chunkSize > BackupRequest.MAX_CHUNK_SIZE
                || chunkSize % 4096 != 0) {
            throw new IllegalArgumentException("backup_file_size " + chunkSize
                    + " is not a multiple of 4096 from 64 KiB to 64 MiB");
        }
    }

    /**
     * Cinder's defaults where they apply: zone {@code nova}, heartbeat every 10 s, messages kept 30
     * days, calls answered within 60 s; Basalt's 4 MiB zstd chunks; the POSIX driver.
     */
    public static BackupServiceSettings defaults(String host) {
        return new BackupServiceSettings(host, "nova", Duration.ofSeconds(10), Duration.ofDays(30),
                Duration.ofSeconds(60), BackupRequest.DEFAULT_CHUNK_SIZE, Compression.ZSTD, POSIX_DRIVER);
    }

    private static void requirePositive(Duration d, String name) {
        requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
