package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.db.ServiceRepository;
import dev.basalt.model.BackendName;
import dev.basalt.model.ServiceRecord;
import dev.basalt.rpc.BackupRpc;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Which backup service takes a backup's work. A Basalt backup service reads and writes the volumes
 * of its own host directly (a local file: holes found with {@code SEEK_DATA}, changed extents with
 * {@code FIEMAP} for incremental backups), as Cinder does with {@code backup_use_same_host = True}:
 * so a volume's backup or restore goes to the backup service whose host is the host part of the
 * volume's {@code host} (before {@code @}: {@code node1@file#pool} is served by {@code node1}). A
 * service counts when it is a {@code cinder-backup} service, enabled, up (heartbeat within
 * {@code service_down_time}) and, when a zone is asked for, in that availability zone.
 */
public final class BackupHosts {
    private final ServiceRepository services;
    private final Clock clock;
    private final Duration downTime;

    public BackupHosts(ServiceRepository services, Clock clock, Duration downTime) {
        this.services = requireNonNull(services, "services");
        this.clock = requireNonNull(clock, "clock");
        this.downTime = requireNonNull(downTime, "downTime");
    }

    /** The host part of a volume's {@code host@backend#pool}; null for an unplaced volume. */
    public static String hostOf(String volumeHost) {
        return BackendName.hostOf(volumeHost);
    }

    /** The usable backup service on {@code host} ({@code zone}: any when null or empty). */
    public Optional<ServiceRecord> on(String host, String zone) {
        if (host == null) {
            return Optional.empty();
        }
        return services.find(host, BackupRpc.BINARY).filter(s -> usable(s, zone));
    }

    /** Any usable backup service (the first by host, so the choice is stable). */
    public Optional<ServiceRecord> any() {
        return services.list(null, BackupRpc.BINARY).stream().filter(s -> usable(s, null)).findFirst();
    }

    /**
     * Cinder's {@code ServiceNotFound} for {@code serviceId} ({@code cinder-backup}, or the backup
     * driver an import names), answered with {@code fault}: Cinder's backup create and import turn
     * it into a 503, its other backup operations leave it a 404.
     */
    public static BasaltException notFound(Fault fault, String serviceId) {
        return new BasaltException(fault, "Service " + serviceId + " could not be found.");
    }

    private boolean usable(ServiceRecord s, String zone) {
        return !s.disabled() && s.isUp(clock.instant(), downTime)
                && (zone == null || zone.isEmpty() || zone.equals(s.availabilityZone()));
    }
}
