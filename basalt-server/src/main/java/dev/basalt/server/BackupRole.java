package dev.basalt.server;

import dev.basalt.backup.Compression;
import dev.basalt.backup.posix.PosixBackupRepository;
import dev.basalt.backup.service.BackupService;
import dev.basalt.backup.service.BackupServiceSettings;
import dev.basalt.config.BackupOptions;
import dev.basalt.config.BasaltConfig;
import dev.basalt.config.DefaultOptions;
import java.io.IOException;
import java.time.Duration;

/**
 * Composition root of the backup role: the backup service of this node ({@code cinder-backup} on
 * {@code host}) over the repository {@code backup_driver} names. It backs up and restores the volumes
 * of this node only (it reads and writes their files directly), so every node with volumes to back
 * up runs one.
 */
final class BackupRole {
    private static final Duration MESSAGE_TTL = Duration.ofDays(30);

    private BackupRole() {
    }

    static BackupService start(Infrastructure infra) {
        BasaltConfig config = infra.config();
        DefaultOptions d = config.defaults();
        BackupOptions options = BackupOptions.from(config.source());
        PosixBackupRepository repository;
        try {
            repository = PosixBackupRepository.open(options.posixPath(), options.workers());
        } catch (IOException | RuntimeException e) {
            throw new StartupException("[DEFAULT] backup_posix_path = " + options.posixPath()
                    + ": the backup repository cannot be opened: " + e.getMessage(), e);
        }
        BackupServiceSettings settings = new BackupServiceSettings(d.host(), d.storageAvailabilityZone(),
                d.reportInterval(), MESSAGE_TTL, d.rpcResponseTimeout(), options.chunkSize(),
                Compression.parse(options.compression()), options.driver().cinderClass());
        BackupService service = new BackupService(settings, repository, infra.database(), infra.bus(), infra.clock(),
                infra.metrics().registry());
        service.start();
        return service;
    }

    /** The start-up banner's line about backups: driver, repository, chunks. */
    static String describe(BasaltConfig config) {
        BackupOptions options = BackupOptions.from(config.source());
        return "  backup " + config.defaults().host() + ": " + options.driver().shortName() + " driver, repository in "
                + options.posixPath() + " (" + options.compression() + " chunks of " + options.chunkSize() / 1024
                + " KiB, " + options.workers() + " workers)";
    }
}
